// Metamorphic tests, bounded: each transform over a quarter of the fixtures (the full cross
// product runs in `npm run test:stress`).
import { invarianceSuite } from './invariance-suite.js';

invarianceSuite('quarter');
