// A mistake made twice. At 30 a config change keys the rate limiter by the client address the
// CDN hands over, which is the CDN's own edge node; 429s rise, and a rollback at 40 undoes it.
// At 100 a second change, branched before the rollback, makes the same edit again beside a new
// per-route budget; the 429s come back and page. The two changes are one suspect (as the stages
// of a rollout are), and the second, which made the mistake again, is named.
import { describe, expect, it } from 'vitest';
import { syntheticRunner, verdict } from './helpers.js';
import { every, patch, type BundleSpec } from './synthetic.js';

const run = syntheticRunner('reapplied', { start: '2036-06-09T12:00:00Z', minutes: 150 });

const first = patch('deploy/web-bff/production.yaml', ['  keyBy: header:fastly-client-ip', '  max: 600'], ['  keyBy: ip', '  max: 300']);
const again = patch('deploy/web-bff/production.yaml', ['  keyBy: header:fastly-client-ip', '  max: 600'], ['  keyBy: ip', '  max: 360', '  rules:', '    - name: search', '      max: 240']);
const other = patch('deploy/web-bff/production.yaml', ['  max: 600'], ['  max: 360', '  rules:', '    - name: search', '      max: 240']);

function bundle(second: string): Omit<BundleSpec, 'start' | 'minutes'> {
  return {
    alert: { title: 'web-bff 429 ratio above 10%', service: 'web-bff', at: 112 },
    series: [
      { metric: 'http_requests_per_second', service: 'web-bff', level: 900, noise: 0.02 },
      { metric: 'http_429_ratio', service: 'web-bff', level: 0.002, noise: 0.1, shifts: [{ at: 30.5, to: 0.2 }, { at: 40.5, to: 0.002 }, { at: 100.5, to: 0.25 }] },
      { metric: 'http_requests_per_second', service: 'search-svc', level: 300, noise: 0.02 },
    ],
    changes: [
      { id: 'cfg-6731', service: 'web-bff', type: 'config', at: 30, summary: 'rate limiting: simpler key, tighter budget', diff: first },
      { id: 'rb-6732', service: 'web-bff', type: 'rollback', at: 40, summary: 'revert rate limiting change', attributes: { reverts: 'cfg-6731' } },
      { id: 'rel-8807', service: 'search-svc', type: 'deploy', at: 96, summary: 'search-svc: boost recent price drops', diff: patch('src/rank.py', ['    boost = 1.0'], ['    boost = 1.1']) },
      { id: 'cfg-6738', service: 'web-bff', type: 'config', at: 100, summary: 'rate limiting v2: per-route budgets', diff: second },
    ],
    logs: { 'web-bff': [...every(0, 150, 1, 'info', 'request served'), ...every(100.5, 150, 0.5, 'warn', 'rate limit exceeded key=151.101.2.17 route=/api/search')] },
  };
}

describe('a change that makes again an edit a rollback undid', () => {
  it('is named, the earlier change being the same suspect', async () => {
    const r = await run(bundle(again));
    expect(verdict(r)).toEqual({ category: 'config', service: 'web-bff', change_id: 'cfg-6738' });
    expect(JSON.stringify(r.diagnosis)).toContain('makes again the edit of cfg-6731');
  });

  it('is not counted as a repeat when it leaves the undone line alone', async () => {
    const r = await run(bundle(other));
    const said = JSON.stringify(r.toolCalls.filter((call) => call.name === 'note_hypothesis'));
    expect(said).not.toContain('makes again the edit');
  });
});
