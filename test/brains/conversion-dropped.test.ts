// A release that stops converting a reading. An orchard's sensor gateway reads the air
// temperature from its stations; at minute 100 a release moves it to the vendor's new API
// and drops the Fahrenheit-to-Celsius conversion, though the API still answers in Fahrenheit.
// The air, a couple of degrees below zero and cooling slowly, reads 27 degrees from then on;
// the frost controller sees no frost and stops its wind machines, and the page fires when
// none is left running. The page says which series it watches only in its words (`= 0`).
// The gateway itself never looks sick: its intake holds and it logs no error. What ties it
// to the page is the number it reports, stepped far beyond the range it kept, and its diff.
import { describe, expect, it } from 'vitest';
import { syntheticRunner } from './helpers.js';
import { every, patch, type BundleSpec, type SeriesSpec } from './synthetic.js';

const START = '2036-03-14T01:00:00Z';

const run = syntheticRunner('conversion-dropped', { start: START, minutes: 180, stepSeconds: 60 });

const series: SeriesSpec[] = [
  { metric: 'station_air_temp_celsius', service: 'sensor-gateway', labels: { station: 'north-block' }, level: -1.5, noise: 0.02, slope: -0.01, shifts: [{ at: 100, to: 28 }] },
  { metric: 'station_air_temp_celsius', service: 'sensor-gateway', labels: { station: 'river-block' }, level: -2.2, noise: 0.02, slope: -0.01, shifts: [{ at: 100, to: 27 }] },
  { metric: 'station_observations_per_minute', service: 'sensor-gateway', level: 24, noise: 0.02 },
  { metric: 'process_cpu_cores', service: 'sensor-gateway', level: 0.2, noise: 0.05 },
  { metric: 'wind_machines_running', service: 'frost-controller', level: 18, noise: 0, shifts: [102, 104, 106, 108, 110].map((at, i) => ({ at, to: 14 - 3.5 * i })) },
  { metric: 'controller_cycle_seconds', service: 'frost-controller', level: 0.4, noise: 0.05 },
  { metric: 'irrigation_valves_open', service: 'irrigation', level: 6, noise: 0 },
];

/** The gateway's release: with `dropsConversion`, the new mapping no longer converts; without, it only renames a field. */
function gatewayRelease(dropsConversion: boolean): BundleSpec['changes'][number] {
  return {
    id: 'rel-gateway-31',
    service: 'sensor-gateway',
    type: 'deploy',
    at: 99,
    summary: 'sensor-gateway 3.1: station vendor API v4',
    diff: dropsConversion
      ? patch('gateway/mapping.py', ['        air_c=f_to_c(obs.air_f),', '        wind_ms=obs.wind_mph * 0.44704,'], ['        air_c=obs.air,', '        wind_ms=obs.wind,'])
      : patch('gateway/mapping.py', ['        station=obs.station_id,'], ['        station=obs.station,']),
  };
}

const changes = (dropsConversion: boolean): BundleSpec['changes'] => [
  {
    id: 'rel-frost-88',
    service: 'frost-controller',
    type: 'deploy',
    at: 60,
    summary: 'frost-controller 8.8: log machine start reasons',
    diff: patch('controller/start.go', ['\tm.Start()'], ['\tlog.Debug("starting", "machine", m.ID, "reason", reason)', '\tm.Start()']),
  },
  gatewayRelease(dropsConversion),
  {
    id: 'cfg-irrigation-night',
    service: 'irrigation',
    type: 'config',
    at: 85,
    summary: 'night irrigation window 02:00-04:00',
    diff: patch('irrigation/schedule.yaml', ['  window: "01:00-03:00"'], ['  window: "02:00-04:00"']),
  },
];

const logs: BundleSpec['logs'] = {
  'frost-controller': [...every(0, 180, 1, 'info', 'control cycle complete'), ...every(102, 112, 2, 'info', 'block above frost threshold, stopping wind machine')],
  'sensor-gateway': every(0, 180, 1, 'info', 'observations published'),
};

const alert = {
  title: 'Wind machines stopped during frost watch',
  service: 'frost-controller',
  at: 115,
  description: 'WindMachinesStopped fired: sum(wind_machines_running) = 0 for 5m while the frost watch is on.',
};

describe('a release that stops converting a reading it publishes', () => {
  it('is blamed: its diff drops the conversion and the reading stepped far off its range as it took effect', async () => {
    const r = await run({ alert, series, changes: changes(true), logs });
    expect(r.diagnosis?.root_cause.change_id).toBe('rel-gateway-31');
    expect(r.diagnosis?.root_cause.service).toBe('sensor-gateway');
    expect(r.diagnosis?.summary).toContain('conversion');
  });

  it('is not, when its diff changes no conversion: the step and its timing alone do not name it', async () => {
    const r = await run({ alert, series, changes: changes(false), logs });
    expect(r.diagnosis?.root_cause.change_id).not.toBe('rel-gateway-31');
    expect(r.diagnosis?.root_cause.change_id).not.toBe('rel-frost-88');
  });
});
