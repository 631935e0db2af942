// `incident diagnose --json` end to end on every shipped fixture.
import { diagnoseSuite, fixtures } from '../e2e/diagnose-suite.js';

diagnoseSuite(fixtures);
