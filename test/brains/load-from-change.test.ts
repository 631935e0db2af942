// Load that a change started is the change's. A flag that sends reconnects down a heavy new
// path makes work that rose from nothing the moment it flipped; the store behind it runs out
// of room. Naming "load beyond capacity" there would have the responders scale the store
// instead of turning the flag off.
import { describe, expect, it } from 'vitest';
import { syntheticRunner } from './helpers.js';
import { every, type BundleSpec, type SeriesSpec } from './synthetic.js';

const START = '2035-06-14T16:00:00Z';

const run = syntheticRunner('load-from-change', { start: START, minutes: 150 });

const series: SeriesSpec[] = [
  // The app the page is about times out on the registry.
  { metric: 'http_server_error_ratio', service: 'phone-api', level: 0.002, shifts: [{ at: 97, to: 0.06 }] },
  { metric: 'http_server_duration_seconds_p99', service: 'phone-api', level: 0.3, shifts: [{ at: 96, to: 2.2 }] },
  // The registry gets half again its calls and its database runs out of room.
  { metric: 'http_server_requests_per_second', service: 'device-index', level: 2300, shifts: [{ at: 96, to: 3600 }] },
  { metric: 'http_server_duration_seconds_p99', service: 'device-index', level: 0.04, shifts: [{ at: 96, to: 1.5 }] },
  { metric: 'db_cpu_utilization_ratio', service: 'device-index', level: 0.5, noise: 0.02, shifts: [{ at: 96, to: 0.98 }] },
  { metric: 'http_server_requests_per_second', service: 'phone-api', level: 300, shifts: [{ at: 96, to: 360 }] },
  // The hubs' service: a snapshot path that did nothing before the flag.
  { metric: 'snapshot_requests_per_second', service: 'hub-link', labels: { mode: 'full' }, level: 0, noise: 0, shifts: [{ at: 96, to: 130 }] },
  { metric: 'http_server_duration_seconds_p99', service: 'hub-link', level: 0.3, shifts: [{ at: 96, to: 1.8 }] },
];

const changes: BundleSpec['changes'] = [
  { id: 'deploy-71', service: 'device-index', type: 'deploy', at: 84, summary: 'device-index 3.3.1: log slow queries over 200 ms' },
  { id: 'flag-full-snapshot', service: 'hub-link', type: 'feature_flag', at: 95.5, summary: 'hub-link full_snapshot_on_reconnect: 0% -> 50%' },
];

const logs: BundleSpec['logs'] = {
  'device-index': [...every(0, 150, 2, 'info', 'served batch'), ...every(96.5, 150, 0.5, 'warn', 'slow query: 1480 ms')],
  'phone-api': [...every(0, 150, 2, 'info', 'listed devices'), ...every(97.2, 150, 0.5, 'error', 'device list failed: device-index timed out after 2.5s')],
};

describe('work per request a change multiplied', () => {
  const fanout: SeriesSpec[] = [
    // Since the flag, each event goes to six times the members: the gateway sends six times the messages.
    { metric: 'router_members_per_event_avg', service: 'msg-router', level: 1.8, shifts: [{ at: 96, to: 11 }] },
    { metric: 'router_events_in_per_second', service: 'msg-router', level: 900 },
    { metric: 'router_events_out_per_second', service: 'msg-router', level: 1600, shifts: [{ at: 96, to: 9900 }] },
    { metric: 'ws_outbound_messages_per_second', service: 'sock-gw', level: 1700, shifts: [{ at: 96.5, to: 10200 }] },
    { metric: 'ws_send_queue_depth', service: 'sock-gw', level: 20, shifts: [{ at: 97, to: 900 }] },
    { metric: 'ws_client_close_ratio', service: 'sock-gw', level: 0.001, shifts: [{ at: 97.5, to: 0.08 }] },
  ];
  const logs: BundleSpec['logs'] = {
    'sock-gw': [...every(0, 150, 2, 'info', 'connection opened'), ...every(97.4, 150, 0.3, 'warn', 'send queue overflow, closing slow consumer')],
  };

  it('is the change, not load beyond the capacity of the gateway that carries it', async () => {
    const r = await run({
      alert: { title: 'sock-gw closing clients', service: 'sock-gw', at: 104 },
      series: fanout,
      changes: [{ id: 'ff-fanout', service: 'msg-router', type: 'feature_flag', at: 95.5, summary: 'msg-router receipts_to_all_members: on' }],
      logs,
    });
    expect(r.diagnosis?.root_cause.change_id).toBe('ff-fanout');
  });
});

describe('load a change started', () => {
  it('is the change, not load beyond the capacity of the store behind it', async () => {
    const r = await run({ alert: { title: 'phone-api device list errors', service: 'phone-api', at: 104 }, series, changes, logs });
    expect(r.diagnosis?.root_cause.category).toBe('feature_flag');
    expect(r.diagnosis?.root_cause.change_id).toBe('flag-full-snapshot');
  });
});

describe('memory a new version runs out of', () => {
  it('is the release that began to run out right after it rolled out, not a platform failure', async () => {
    const r = await run({
      alert: { title: 'translate-gpu 500s', service: 'translate-gpu', at: 104 },
      series: [
        { metric: 'error_ratio', service: 'translate-gpu', level: 0.001, shifts: [{ at: 96, to: 0.08 }] },
        { metric: 'gpu_memory_used_bytes', service: 'translate-gpu', level: 1.4e10, noise: 0.01, shifts: [{ at: 96, to: 2.3e10 }] },
      ],
      changes: [
        { id: 'cfg-12', service: 'translate-gpu', type: 'config', at: 74, summary: 'translate-gpu: disk cache 20 GiB' },
        { id: 'rel-66', service: 'translate-gpu', type: 'deploy', at: 95, summary: 'translate-gpu 2.9.0: larger default batches', attributes: { finished_at: '2035-06-14T17:41:00Z' } },
      ],
      logs: {
        'translate-gpu': [
          ...every(0, 150, 2, 'info', 'batch done'),
          ...every(97.5, 150, 0.5, 'error', 'batch failed, failing 35 requests: CUDA out of memory. Tried to allocate 2.80 GiB'),
        ],
      },
    });
    expect(r.diagnosis?.root_cause.category).toBe('deploy');
    expect(r.diagnosis?.root_cause.change_id).toBe('rel-66');
  });
});
