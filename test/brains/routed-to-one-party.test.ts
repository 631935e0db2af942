// A rollback onto a release that cannot read the routing table its successor's config left: each
// pod it restarts logs once, as it starts, that the table is empty and it will use the default
// venue, and sends all its orders there. The orders routed to that venue step up sixfold as the
// pods restart, the venue throttles the session, and the order service upstream pages on the
// rejects. The venue refusing is answering the volume sent to it: what multiplied the volume
// is the cause, and the warnings its pods logged as they started say which change that was.
import { describe, expect, it } from 'vitest';
import { syntheticRunner, verdict } from './helpers.js';
import { every, type BundleSpec, type SeriesSpec } from './synthetic.js';

const run = syntheticRunner('routed-to-one-party', { start: '2038-09-21T13:00:00Z', minutes: 150 });

const VENUES = ['alpha', 'bravo', 'xmkt', 'delta'];

function spec(multiplied: boolean): Omit<BundleSpec, 'start' | 'minutes'> {
  const series: SeriesSpec[] = VENUES.map((venue): SeriesSpec => ({
    metric: 'router_orders_routed_per_second',
    service: 'order-router',
    labels: { venue },
    level: 30,
    noise: 0.05,
    shifts: multiplied ? (venue === 'xmkt' ? [{ at: 91, to: 70 }, { at: 92, to: 110 }, { at: 93, to: 120 }] : [{ at: 91, to: 20 }, { at: 92, to: 10 }, { at: 93, to: 0 }]) : [],
  }));
  series.push(
    { metric: 'gateway_rejects_per_second', service: 'venue-gw', labels: { venue: 'xmkt', reason: 'throttle' }, level: 0.01, noise: 0.1, shifts: [{ at: 93, to: 20 }] },
    { metric: 'gateway_rejects_per_second', service: 'venue-gw', labels: { venue: 'alpha', reason: 'throttle' }, level: 0.01, noise: 0.1 },
    { metric: 'gateway_rejects_per_second', service: 'venue-gw', labels: { venue: 'bravo', reason: 'throttle' }, level: 0.01, noise: 0.1 },
    { metric: 'oms_order_reject_ratio', service: 'oms', level: 0.002, noise: 0.1, shifts: [{ at: 94, to: 0.15 }] },
    { metric: 'oms_orders_submitted_per_second', service: 'oms', level: 120, noise: 0.03 },
    // The pods on each version, as the rollback replaces them.
    { metric: 'router_build_info', service: 'order-router', labels: { version: '5.3.0' }, level: 3, noise: 0, shifts: multiplied ? [{ at: 91, to: 2 }, { at: 92, to: 1 }, { at: 93, to: 0 }] : [] },
    { metric: 'router_build_info', service: 'order-router', labels: { version: '5.2.4' }, level: 0, noise: 0, shifts: multiplied ? [{ at: 91, to: 1 }, { at: 92, to: 2 }, { at: 93, to: 3 }] : [] },
  );
  const changes: BundleSpec['changes'] = [
    { id: 'rel-router-53', service: 'order-router', type: 'deploy', at: -600, summary: 'order-router 5.3: venues v2 table' },
    { id: 'cfg-routing-v2', service: 'order-router', type: 'config', at: -300, summary: 'routing: drop the v1 venue list' },
    { id: 'rb-router-524', service: 'order-router', type: 'rollback', at: 90, summary: 'roll back order-router 5.3 -> 5.2.4: route logging too noisy', attributes: { reverts: 'rel-router-53', finished_at: '2038-09-21T14:34:00Z' } },
    { id: 'rel-oms-12', service: 'oms', type: 'deploy', at: 70, summary: 'oms 12: order tags in acks' },
  ];
  const logs: BundleSpec['logs'] = {
    'order-router': [
      ...every(0, 150, 1, 'info', 'order routed'),
      { at: 90.6, level: 'warn', message: 'venue table empty, using default venue', fields: { pod: 'order-router-5-a', default: 'xmkt' } },
      { at: 91.8, level: 'warn', message: 'venue table empty, using default venue', fields: { pod: 'order-router-5-b', default: 'xmkt' } },
      { at: 92.9, level: 'warn', message: 'venue table empty, using default venue', fields: { pod: 'order-router-5-c', default: 'xmkt' } },
    ],
    'venue-gw': [...every(0, 150, 1, 'info', 'session heartbeat ok'), ...every(93.2, 150, 0.5, 'warn', 'BusinessMessageReject venue=xmkt: Throttle limit exceeded')],
    oms: [...every(0, 150, 1, 'info', 'order acked'), ...every(94.2, 150, 0.5, 'error', 'order rejected by venue: throttle')],
  };
  return { alert: { title: 'OMS order reject ratio high', service: 'oms', at: 100 }, series, changes, logs };
}

describe('a party that refused the volume one service routed to it', () => {
  it('is not the cause: the rollback whose pods warned as they started and sent it everything is', async () => {
    const r = await run(spec(true));
    expect(verdict(r)).toMatchObject({ category: 'deploy', service: 'order-router', change_id: 'rb-router-524' });
  });

  it('is the cause when it refused the volume it always had', async () => {
    const r = await run(spec(false));
    expect(verdict(r)).toMatchObject({ category: 'dependency', change_id: null });
  });
});
