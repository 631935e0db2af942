// A series rises from nothing once. At minute 60 a flag moves the mobile clients to a new
// reconnect profile: the gateway's connection attempts from that profile leave zero and climb to
// a few hundred a second over twenty minutes. At minute 100 a routine restart of the gateway (a
// dependency bump) drops sockets, and the same series jumps a hundredfold as every client of
// the profile reconnects at once. Against the jump the level before is a rounding error, but the
// series had been running for forty minutes: the jump is growth of work already begun, not work
// the restart started, and it must not be told as the restart's new work. Nor is it demand the
// gateway kept up with: clients reconnecting as their sockets dropped are the failure's effect.
import { describe, expect, it } from 'vitest';
import { saidOf, syntheticRunner } from './helpers.js';
import { every, patch, ramp, type BundleSpec, type SeriesSpec } from './synthetic.js';

const START = '2036-06-11T07:00:00Z';

const run = syntheticRunner('running-before-jump', { start: START, minutes: 150, stepSeconds: 30 });

function series(): SeriesSpec[] {
  return [
    { metric: 'gateway_connect_attempts_per_second', service: 'gateway', labels: { profile: 'standard' }, level: 550, noise: 0.04 },
    {
      metric: 'gateway_connect_attempts_per_second',
      service: 'gateway',
      labels: { profile: 'quick' },
      level: 0,
      noise: 0.04,
      shifts: [...ramp(61, 20, 15, 340), { at: 101, to: 32_000 }],
    },
    { metric: 'gateway_event_loop_lag_seconds', service: 'gateway', level: 0.02, noise: 0.05, shifts: [{ at: 101, to: 2.4 }] },
    { metric: 'gateway_connected_sessions', service: 'gateway', level: 300_000, noise: 0.01, shifts: [{ at: 101, to: 120_000 }] },
    { metric: 'http_requests_per_second', service: 'auth', level: 600, noise: 0.04, shifts: [{ at: 101, to: 4_000 }] },
  ];
}

const changes: BundleSpec['changes'] = [
  {
    id: 'flag-reconnect-quick',
    service: 'mobile-app',
    type: 'feature_flag',
    at: 60,
    summary: 'reconnect.profile = quick (iOS, Android)',
    attributes: { flag: 'reconnect.profile' },
  },
  {
    id: 'deploy-gateway-231',
    service: 'gateway',
    type: 'deploy',
    at: 100,
    summary: 'gateway 2.31: bump x/net and the websocket library',
    diff: patch('go.mod', ['\tgolang.org/x/net v0.30.0'], ['\tgolang.org/x/net v0.31.0']),
  },
];

const logs: BundleSpec['logs'] = {
  gateway: [...every(0, 150, 1, 'info', 'ws connected'), ...every(101, 150, 1, 'warn', 'event loop lag high')],
  auth: every(0, 150, 2, 'info', 'session introspected'),
};

const alert = { title: 'Connected sessions dropping', service: 'gateway', at: 104 };

describe('a series already running that jumps as a change lands', () => {
  it('is not work the change started from nothing', async () => {
    const r = await run({ alert, series: series(), changes, logs });
    expect(saidOf(r, 'deploy-gateway-231')).not.toContain('rose from nothing');
  });

  it('is not demand against a ceiling either', async () => {
    const r = await run({ alert, series: series(), changes, logs });
    expect(r.diagnosis?.root_cause.category).not.toBe('capacity');
  });
});
