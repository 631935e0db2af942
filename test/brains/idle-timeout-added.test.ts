// A push gateway's listener moved onto a shared proxy module that sets an idle timeout of 45 s
// where the old listener kept the platform's default. Handsets hold a socket open and ping
// every 120 s, so every quiet one is cut: resets at the proxy and reconnects at the gateway
// climb as it lands, and the dispatcher that sends through the gateway pages on failed sends.
// The move's rollout spans the onset, and the reconnect line was there before at a trickle. A
// config change of another service just before is a decoy with nothing to show.
import { describe, expect, it } from 'vitest';
import { syntheticRunner, verdict } from './helpers.js';
import { every, patch, type BundleSpec, type SeriesSpec } from './synthetic.js';

const run = syntheticRunner('idle-timeout-added', { start: '2037-10-11T01:00:00Z', minutes: 180, stepSeconds: 60 });

const MODULE = [
  patch('infra/proxy/listener.tf', [], ['  idle_timeout_seconds = var.listener_idle_timeout']),
  patch('infra/proxy/variables.tf', [], ['variable "listener_idle_timeout" {', '  type    = number', '  default = 45', '}']),
].join('');

describe('an idle timeout set where none was', () => {
  it('is named on that edit when resets and reconnects climb as it lands', async () => {
    const series: SeriesSpec[] = [
      { metric: 'proxy_tcp_resets_per_minute', service: 'push-gateway', level: 1, noise: 0.2, shifts: [{ at: 92, to: 160 }] },
      { metric: 'push_gateway_reconnects_per_minute', service: 'push-gateway', level: 2, noise: 0.2, shifts: [{ at: 92, to: 150 }] },
      { metric: 'push_gateway_connected_devices', service: 'push-gateway', level: 800, noise: 0.02 },
      { metric: 'dispatch_send_failures_per_minute', service: 'dispatcher', level: 0.1, noise: 0.2, shifts: [{ at: 93, to: 9 }] },
      { metric: 'dispatch_sends_per_minute', service: 'dispatcher', level: 300, noise: 0.05 },
      { metric: 'promo_jobs_per_minute', service: 'promo-planner', level: 5, noise: 0.1 },
    ];
    const changes: BundleSpec['changes'] = [
      { id: 'cfg-promo-tz', service: 'promo-planner', type: 'config', at: 85, summary: 'promo-planner: quiet hours follow the device time zone', diff: patch('config/promo.yaml', ['  quiet_hours_tz: UTC'], ['  quiet_hours_tz: device']) },
      { id: 'infra-proxy-shared', service: 'push-gateway', type: 'infra', at: 90, summary: 'push-gateway: listener on the shared proxy module', diff: MODULE, attributes: { finished_at: '2037-10-11T02:33:00Z' } },
    ];
    const logs: BundleSpec['logs'] = {
      'push-gateway': [
        ...every(0, 180, 1, 'info', 'device session ok'),
        ...every(0, 92, 30, 'warn', 'device reconnected, previous socket reset by peer'),
        ...every(92.2, 180, 0.5, 'warn', 'device reconnected, previous socket reset by peer'),
      ],
      dispatcher: [...every(0, 180, 1, 'info', 'notification sent'), ...every(93.2, 180, 0.5, 'error', 'send to device failed: connection reset by peer')],
    };
    const r = await run({ alert: { title: 'DispatchFailuresHigh', service: 'dispatcher', at: 110 }, series, changes, logs });
    expect(verdict(r)).toMatchObject({ category: 'infrastructure', service: 'push-gateway', change_id: 'infra-proxy-shared' });
    // On the edit that cuts the quiet sockets, cited from the diff, not on its timing alone.
    expect(r.diagnosis?.evidence.filter((e) => e.source === 'diffs').map((e) => e.detail)).toEqual([expect.stringMatching(/idle_timeout_seconds set to 45 s/)]);
  });
});
