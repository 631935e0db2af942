// `incident serve` under load at full size: fifty offline investigations at once, each
// followed by a stream client, and twenty stream clients on one of them (npm test runs
// the same test small: test/load/).
import { describe } from 'vitest';
import { serveLoad } from '../load/serve-load.js';

describe('incident serve under load, at full size', () => {
  serveLoad({ sessions: 50, watchers: 20 });
});
