// A crowd a change sent. At minute 90 a config change of an alarm engine drops its deadbands (the
// key it writes is one the engine ignores): alarms on tags near their setpoints raise and clear
// many times a minute, its transitions step from one a minute to fifty, and every raise becomes
// three text messages. The notifier (the paged service) takes fifty times its usual work and its
// queue backs up. The surge reads as load on the notifier; it is the engine's output, which the
// change multiplied as it took effect, while what the engine takes in (tag readings) held.
import { describe, expect, it } from 'vitest';
import { syntheticRunner } from './helpers.js';
import { every, patch, type BundleSpec, type SeriesSpec } from './synthetic.js';

const run = syntheticRunner('output-multiplied', { start: '2036-08-11T07:30:00Z', minutes: 150, stepSeconds: 30 });

const series: SeriesSpec[] = [
  { metric: 'alarm_transitions_per_minute', service: 'alarm-engine', level: 1.2, noise: 0.2, shifts: [{ at: 90.5, to: 55 }] },
  { metric: 'tag_readings_per_second', service: 'alarm-engine', level: 400, noise: 0.03 },
  { metric: 'notifications_enqueued_per_second', service: 'alarm-engine', level: 0.06, noise: 0.2, shifts: [{ at: 90.5, to: 2.8 }] },
  { metric: 'sms_sent_per_second', service: 'notifier', level: 0.06, noise: 0.2, shifts: [{ at: 91, to: 1 }] },
  { metric: 'sms_queue_depth', service: 'notifier', level: 0, shifts: [{ at: 92, to: 300 }, { at: 100, to: 1500 }] },
  { metric: 'delivery_latency_seconds_p95', service: 'notifier', level: 3, noise: 0.1, shifts: [{ at: 93, to: 240 }] },
  { metric: 'worker_busy_ratio', service: 'notifier', level: 0.1, noise: 0.05, shifts: [{ at: 91, to: 1 }] },
];

const changes: BundleSpec['changes'] = [
  {
    id: 'cfg-alarm-412',
    service: 'alarm-engine',
    type: 'config',
    at: 90,
    summary: 'alarm rules: move deadbands to class defaults',
    diff: patch('alarm-rules/classes.yaml', ['  level_hi:', '    priority: high'], ['  level_hi:', '    priority: high', '    deadband_pct: 2.0']),
  },
  {
    id: 'cfg-notifier-415',
    service: 'notifier',
    type: 'config',
    at: 55,
    summary: 'notifier: template text',
    diff: patch('notifier/templates.yaml', ['  sms: "ALARM {tag} {state}"'], ['  sms: "Alarm {tag}: {state}"']),
  },
];

const logs: BundleSpec['logs'] = {
  'alarm-engine': [
    ...every(0, 150, 1, 'info', 'scan complete tags=1200'),
    ...every(91, 92, 0.3, 'warn', 'unknown field in alarm class, ignored field=deadband_pct'),
  ].sort((a, b) => a.at - b.at),
  notifier: [...every(0, 150, 2, 'info', 'sms delivered'), ...every(92, 150, 1, 'warn', 'sms queue backlog growing depth=300')].sort((a, b) => a.at - b.at),
};

describe('a crowd its output made', () => {
  it('is the change that multiplied the output, not load beyond the notifier', async () => {
    const r = await run({ alert: { title: 'alarm notifications delayed', service: 'notifier', at: 100 }, series, changes, logs });
    expect(r.diagnosis?.root_cause.category).toBe('config');
    expect(r.diagnosis?.root_cause.change_id).toBe('cfg-alarm-412');
  });
});
