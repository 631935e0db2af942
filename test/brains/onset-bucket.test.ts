// A step that straddles two buckets. Read a minute at a time, a latency that jumped at 100:50
// shows as a half step in the 100:00 bucket and the full step after it; a noisy sample just
// before reads as the foot of a ramp, so the onset is dated a bucket earlier still (99:00). A
// change of the service it calls that took effect at 100:40 came before the jump, and must not
// be ruled out as "after the onset".
import { describe, expect, it } from 'vitest';
import { departure } from '../../src/brains/triage/onset.js';
import type { SeriesValues } from '../../src/brains/triage/read.js';
import { syntheticRunner, verdict } from './helpers.js';
import { every, patch, type BundleSpec } from './synthetic.js';

const START = Date.parse('2038-02-01T06:00:00Z');
const MINUTE = 60_000;

/** A minute-by-minute p99 around 0.235 with its noise, a high sample at 99, a half step at 100 and the step from 101. */
function straddling(): SeriesValues {
  const values: number[] = [];
  for (let i = 0; i < 160; i++) {
    const noise = 0.0085 * Math.sin(i * 1.7);
    values.push(i < 99 ? 0.235 + noise : i === 99 ? 0.256 : i === 100 ? 0.29 : 0.36 + noise);
  }
  return { id: 'p99', service: 'stitcher', start: START, stepMs: MINUTE, values };
}

describe('the onset of a step read a minute at a time', () => {
  it('is walked back over the foot, and says where the rise itself began', () => {
    const moved = departure(straddling(), START + 150 * MINUTE);
    expect(moved).not.toBeNull();
    expect(moved?.onset).toBe(START + 99 * MINUTE);
    expect(moved?.rise).toBe(START + 100 * MINUTE);
  });
});

describe('a count of whole things', () => {
  const counted = (to: number): SeriesValues => ({ id: 'promotions', service: 'pricing', start: START, stepMs: MINUTE, values: Array.from({ length: 160 }, (_, i) => (i < 100 ? 3 : to)) });

  it('going up by one is its smallest step, a setting or a schedule, not a departure', () => {
    expect(departure(counted(4), START + 150 * MINUTE)).toBeNull();
  });

  it('going up by more, or down by one, still departs', () => {
    expect(departure(counted(6), START + 150 * MINUTE)?.onset).toBe(START + 100 * MINUTE);
    expect(departure(counted(2), START + 150 * MINUTE)?.direction).toBe('down');
  });
});

const run = syntheticRunner('onset-bucket', { start: '2038-02-01T06:00:00Z', minutes: 160, stepSeconds: 60 });

describe('a change inside the bucket the rise began in', () => {
  it('is weighed, not ruled out as after the onset', async () => {
    const spec: Omit<BundleSpec, 'start' | 'minutes'> = {
      alert: { title: 'stitcher p99 above 300ms', service: 'stitcher', at: 112 },
      series: [
        { metric: 'http_request_duration_seconds_p99', service: 'stitcher', level: 0.235, noise: 0.01, shifts: [{ at: 99, to: 0.244 }, { at: 100, to: 0.29 }, { at: 101, to: 0.36 }] },
        { metric: 'http_requests_per_second', service: 'stitcher', level: 400, noise: 0.02 },
        { metric: 'decision_duration_seconds_p99', service: 'decisions', level: 0.09, noise: 0.02, shifts: [{ at: 101, to: 0.28 }] },
        { metric: 'http_requests_per_second', service: 'decisions', level: 380, noise: 0.02 },
      ],
      changes: [
        {
          id: 'cfg-7310',
          service: 'decisions',
          type: 'config',
          at: 100 + 40 / 60,
          summary: 'decisions: campaign store client settings',
          diff: patch('deploy/decisions/values.yaml', ['  storeTimeoutMs: 400', '  storeRetries: 0'], ['  storeTimeoutMs: 400', '  storeRetries: 4']),
        },
      ],
      logs: {
        stitcher: [...every(0, 160, 1, 'info', 'break stitched'), ...every(101, 160, 0.5, 'warn', 'ad decision slow, stitching without ads')],
        decisions: [...every(0, 160, 1, 'info', 'decision served'), ...every(101, 160, 0.5, 'warn', 'campaign store retry attempt=3')],
      },
    };
    const r = await run(spec);
    const said = JSON.stringify(r.toolCalls.filter((call) => call.name === 'note_hypothesis'));
    expect(said).not.toMatch(/cfg-7310[^"]*after the onset/);
    expect(verdict(r)).toEqual({ category: 'config', service: 'decisions', change_id: 'cfg-7310' });
  });
});

describe('a change recorded a minute after the step it caused', () => {
  // A cache's key changed at a reload the change tracker stamped at 100:15, once the reload had
  // finished; the 504s, read at 30 s, stepped in the 99:00 bucket. The record trails the effect
  // by a bucket and the tool's own lag: it still counts as before the onset.
  it('is weighed as the cause, not ruled out as after the onset', async () => {
    const run30 = syntheticRunner('onset-bucket-record', { start: '2038-02-01T06:00:00Z', minutes: 160, stepSeconds: 30 });
    const r = await run30({
      alert: { title: 'blob pulls slow', service: 'registry', at: 112 },
      series: [
        { metric: 'nginx_http_504_per_second', service: 'blob-cache', level: 0.2, noise: 0.1, shifts: [{ at: 99, to: 16 }] },
        { metric: 'cache_hit_ratio', service: 'blob-cache', level: 0.93, noise: 0.01, shifts: [{ at: 99.5, to: 0.11 }] },
        { metric: 'blob_get_duration_seconds_p99', service: 'registry', level: 1.4, noise: 0.05, shifts: [{ at: 99.5, to: 9 }] },
        { metric: 'http_requests_per_second', service: 'registry', level: 300, noise: 0.02 },
      ],
      changes: [
        {
          id: 'cfg-cache-key',
          service: 'blob-cache',
          type: 'config',
          at: 100.25,
          summary: 'blob-cache: tenant-scoped cache key, reload',
          diff: patch('nginx/blob-cache.conf', ['    proxy_cache_key $uri;'], ['    proxy_cache_key $uri$http_authorization;']),
        },
      ],
      logs: { registry: [...every(0, 160, 1, 'info', 'blob served'), ...every(99.5, 160, 0.5, 'warn', 'blob-cache fetch slow')] },
    });
    expect(verdict(r)).toEqual({ category: 'config', service: 'blob-cache', change_id: 'cfg-cache-key' });
  });
});
