// `incident serve` under load, at npm test's size (the stress suite runs fifty
// investigations with twenty clients on one: test/stress/load.test.ts).
import { describe } from 'vitest';
import { serveLoad } from './serve-load.js';

describe('incident serve under load', () => {
  serveLoad({ sessions: 4, watchers: 5 });
});
