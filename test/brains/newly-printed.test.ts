// A name a change begins to print is no trace of what it names acting. Two minutes before the
// calls began to drop, a release of the call controller (the paged service) added the ICE state
// and the candidate pair to the warning it logs for a dropped call. From then on every dropped
// call prints `candidatePair=`, and as the drops climb that name fills the warnings: the new
// print, not the pair selection failing. The release is not blamed for it.
import { describe, expect, it } from 'vitest';
import { syntheticRunner } from './helpers.js';
import { every, patch, type BundleSpec, type SeriesSpec } from './synthetic.js';

const START = '2036-08-16T00:00:00Z';

const run = syntheticRunner('newly-printed', { start: START, minutes: 150, stepSeconds: 60 });

function series(): SeriesSpec[] {
  return [
    { metric: 'call_drop_ratio', service: 'call-controller', level: 0.006, noise: 0.05, shifts: [{ at: 62, to: 0.11 }] },
    { metric: 'calls_active', service: 'call-controller', level: 9_000, noise: 0.02 },
    { metric: 'http_requests_per_second', service: 'session-api', level: 140, noise: 0.04 },
    { metric: 'relay_allocations_per_second', service: 'turn', level: 22, noise: 0.05 },
  ];
}

const changes: BundleSpec['changes'] = [
  {
    id: 'deploy-callctl-57',
    service: 'call-controller',
    type: 'deploy',
    at: 60,
    summary: 'call-controller 5.7: richer drop telemetry',
    diff: patch(
      'src/main/kotlin/io/example/callctl/CallEndHandler.kt',
      ['            log.warn("call dropped callId={} reason={} duration={}s", call.id, end.reason.wire, duration.seconds)'],
      [
        '            log.warn(',
        '                "call dropped callId={} reason={} duration={}s lastState={} candidatePair={}",',
        '                call.id, end.reason.wire, duration.seconds, end.lastIceTransition, end.candidatePair ?: "unknown",',
        '            )',
      ],
    ),
  },
];

const dropped = (from: number, to: number, everyMinutes: number, printsPair: boolean): Array<{ at: number; level: string; message: string }> =>
  every(from, to, everyMinutes, 'warn', `call dropped callId=c_1 reason=ice_disconnected duration=300s${printsPair ? ' lastState=disconnected->failed candidatePair=relay/udp' : ''}`);

const logs: BundleSpec['logs'] = {
  'call-controller': [...every(0, 150, 1, 'info', 'call ended reason=hangup'), ...dropped(0, 60, 20, false), ...dropped(60, 62, 1, true), ...dropped(62, 150, 0.25, true)].sort(
    (a, b) => a.at - b.at,
  ),
  'session-api': every(0, 150, 2, 'info', 'ice servers issued'),
};

const alert = { title: 'Call drop ratio above 3%', service: 'call-controller', at: 66 };

describe('a name a release begins to print', () => {
  it('is not the release acting: its being named more after it is the new print', async () => {
    const r = await run({ alert, series: series(), changes, logs });
    expect(r.diagnosis?.root_cause.change_id).not.toBe('deploy-callctl-57');
  });
});

// The same, printed as a structured logging call's fields and with a warning of its own: at minute
// 60 a release of the model (the paged service) adds a warning, with the zone and the count of
// missing inputs as fields, for a run it rejects. Its runs began to be rejected at minute 62, when
// the loader feeding it fell behind; the new warning fills the logs, naming `missing_tags`.
const modelChanges: BundleSpec['changes'] = [
  {
    id: 'deploy-model-41',
    service: 'pressure-model',
    type: 'deploy',
    at: 60,
    summary: 'pressure-model 4.1: log missing inputs per zone when a run is rejected',
    diff: patch(
      'pressure_model/run.py',
      ['        log.info("run rejected", extra={"reason": reason})'],
      [
        '        log.info("run rejected", extra={"reason": reason})',
        '        for zone, missing in inputs.missing_by_zone().items():',
        '            log.warning("zone input incomplete",',
        '                        extra={"zone": zone, "missing_tags": len(missing),',
        '                               "stale_after": inputs.stale_after(zone).isoformat()})',
      ],
    ),
  },
];

const modelLogs: BundleSpec['logs'] = {
  'pressure-model': [
    ...every(0, 150, 5, 'info', 'run completed zones=4'),
    ...every(62, 150, 5, 'warn', 'zone input incomplete zone=PZ1 missing_tags=22 stale_after=2036-08-16T01:01:00Z'),
    ...every(62, 150, 5, 'error', 'model run failed: input completeness below threshold'),
  ].sort((a, b) => a.at - b.at),
  'tsdb-loader': every(0, 150, 1, 'info', 'batch flushed rows=500'),
};

describe('fields a release begins to log, in a warning of its own', () => {
  it('are not the release acting: the warning is new because its code is', async () => {
    const r = await run({
      alert: { title: 'pressure model runs rejected', service: 'pressure-model', at: 70 },
      series: [
        { metric: 'model_last_run_success', service: 'pressure-model', level: 1, shifts: [{ at: 62, to: 0 }] },
        { metric: 'loader_consumer_lag_seconds', service: 'tsdb-loader', level: 5, noise: 0.1, shifts: [{ at: 40, to: 60 }, { at: 55, to: 400 }] },
        { metric: 'rows_ingested_per_second', service: 'tsdb-loader', level: 2400, noise: 0.03 },
      ],
      changes: modelChanges,
      logs: modelLogs,
    });
    expect(r.diagnosis?.root_cause.change_id).not.toBe('deploy-model-41');
  });
});
