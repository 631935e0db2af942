// An undo judged by the errors it ended, where no metric moved. At minute 30 an infrastructure
// change sets a short idle timeout on the load balancer in front of the command broker; the
// plants' command connections idle out, and from minute 60, when commands are sent in earnest,
// the dispatcher logs acknowledgements timing out, and setpoints wait minutes for theirs. At
// minute 90 the change is reverted and the timeouts stop. The
// dispatcher's own release at minute 50 is nearer.
import { describe, expect, it } from 'vitest';
import { syntheticRunner } from './helpers.js';
import { every, patch, type BundleSpec, type SeriesSpec } from './synthetic.js';

const START = '2036-06-09T16:00:00Z';

const run = syntheticRunner('undo-in-logs', { start: START, minutes: 130, stepSeconds: 30 });

const steady: SeriesSpec[] = [
  { metric: 'dispatch_commands_sent_per_second', service: 'dispatcher', level: 2, noise: 0.03 },
  { metric: 'broker_connections', service: 'cmd-broker', level: 120, noise: 0.02 },
  { metric: 'plant_output_mw', service: 'site-collector', level: 40, noise: 0.01 },
];

/**
 * How long setpoints waited for their acknowledgement, at the 99th percentile: minutes of
 * waiting, which trail what they wait on and cannot judge an undo (they come down only once
 * the last late setpoint is out of the window).
 */
function series(ends: boolean): SeriesSpec[] {
  return [
    { metric: 'setpoint_ack_wait_seconds_p99', service: 'dispatcher', level: 3, noise: 0.05, shifts: [{ at: 60, to: 420 }, { at: 70, to: 900 }, ...(ends ? [{ at: 125, to: 3 }] : [])] },
    ...steady,
  ];
}


const changes: BundleSpec['changes'] = [
  {
    id: 'tf-broker-lb',
    service: 'cmd-broker',
    type: 'infra',
    at: 30,
    summary: 'cmd-broker: load balancer module 3.4 -> 4.1',
    diff: patch('infra/broker/lb.tf', ['  version = "3.4.0"'], ['  version = "4.1.0"', '  idle_timeout = 60']),
  },
  {
    id: 'rel-dispatcher-212',
    service: 'dispatcher',
    type: 'deploy',
    at: 50,
    summary: 'dispatcher 2.12: round limits to 0.1 MW',
    diff: patch('src/limits.py', ['    return round(mw, 2)'], ['    return round(mw, 1)']),
  },
  { id: 'tf-broker-lb-revert', service: 'cmd-broker', type: 'infra', at: 90, summary: 'revert the broker load balancer idle timeout', attributes: { reverts: 'tf-broker-lb' } },
];

function logs(ends: boolean): BundleSpec['logs'] {
  return {
    dispatcher: [
      ...every(0, 130, 1, 'info', 'setpoint dispatched to plant'),
      ...every(60.2, ends ? 90.5 : 130, 0.25, 'warn', 'ack timeout after 20s for setpoint, republishing'),
    ],
  };
}

const alert = { title: 'Setpoints not acknowledged by plants', service: 'dispatcher', at: 64 };

describe('an undo judged by the errors it ended', () => {
  it('ties the change it undid to them, where no metric could', async () => {
    const r = await run({ alert, series: series(true), changes, logs: logs(true) });
    expect(r.diagnosis?.root_cause.change_id).toBe('tf-broker-lb');
  });

  it('does not, when the errors went on after it', async () => {
    const r = await run({ alert, series: series(false), changes, logs: logs(false) });
    expect(r.diagnosis?.root_cause.change_id).not.toBe('tf-broker-lb');
  });
});
