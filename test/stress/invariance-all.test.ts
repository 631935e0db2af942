// Metamorphic tests at full size: every transform over every fixture.
import { invarianceSuite } from '../brains/invariance-suite.js';

invarianceSuite('all');
