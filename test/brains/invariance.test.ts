// Metamorphic tests, bounded: each transform over half the fixtures (the full cross
// product runs in `npm run test:stress`).
import { invarianceSuite } from './invariance-suite.js';

invarianceSuite('half');
