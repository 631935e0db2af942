// A limit the errors quote. At minute 40 a validation service's config cuts the largest message
// it accepts from 16MB to 1MB; its day-to-day calls are small and nothing moves. At minute 120
// a publisher (the paged service) sends its monthly batches, some of them several megabytes:
// the validator refuses each with "message exceeds maximum size 1048576", and the publisher
// retries, gives up and fails its run. The validator's own series never move; the publisher
// shipped a harmless release at minute 110. The one link is the number the errors print: the
// very limit the change set, in bytes.
import { describe, expect, it } from 'vitest';
import { syntheticRunner } from './helpers.js';
import { every, patch, type BundleSpec, type SeriesSpec } from './synthetic.js';

const run = syntheticRunner('limit-quoted', { start: '2036-05-28T05:00:00Z', minutes: 170, stepSeconds: 60 });

const series: SeriesSpec[] = [
  { metric: 'publish_runs_failed', service: 'roster-publisher', level: 0, shifts: [{ at: 121, to: 5 }] },
  { metric: 'publish_batches_per_minute', service: 'roster-publisher', level: 2, noise: 0.1, shifts: [{ at: 120, to: 9 }] },
  { metric: 'process_cpu_seconds_rate', service: 'roster-publisher', level: 0.4, noise: 0.05 },
  { metric: 'validations_per_second', service: 'rule-checker', level: 14, noise: 0.05 },
  { metric: 'process_cpu_seconds_rate', service: 'rule-checker', level: 0.9, noise: 0.05 },
  { metric: 'http_requests_per_second', service: 'crew-portal', level: 40, noise: 0.05 },
];

const changes: BundleSpec['changes'] = [
  {
    id: 'cfg-checker-71',
    service: 'rule-checker',
    type: 'config',
    at: 40,
    summary: 'rule-checker: server hardening',
    diff: patch('deploy/rule-checker/application.yaml', ['    reflection-enabled: true', '    max-inbound-message-size: 16MB'], ['    reflection-enabled: false', '    max-inbound-message-size: 1MB']),
  },
  {
    id: 'rel-portal-12',
    service: 'crew-portal',
    type: 'deploy',
    at: 90,
    summary: 'crew-portal 1.12: new legend colours',
    diff: patch('web/legend.ts', ["  const colour = 'teal'"], ["  const colour = 'navy'"]),
  },
  {
    id: 'rel-publisher-8',
    service: 'roster-publisher',
    type: 'deploy',
    at: 110,
    summary: 'roster-publisher 8.3: warm start for the solver',
    diff: patch('publisher/solve.py', ['    solver.start(cold=True)'], ['    solver.start(cold=False)']),
  },
];

function logs(quoted: string): BundleSpec['logs'] {
  return {
    'rule-checker': [
      ...every(0, 170, 1, 'info', 'validated request lines=12'),
      ...every(120, 170, 2, 'warn', `call failed method=ValidateLines peer=roster-publisher status=RESOURCE_EXHAUSTED desc="message exceeds maximum size ${quoted}: 3380338"`),
    ],
    'roster-publisher': [
      ...every(0, 170, 5, 'info', 'publish heartbeat'),
      ...every(120, 170, 2, 'error', `legality batch failed, giving up: RESOURCE_EXHAUSTED message exceeds maximum size ${quoted}: 3380338`),
    ],
    'crew-portal': every(0, 170, 1, 'info', 'GET /roster 200'),
  };
}

const alert = { title: 'roster publish failed for several bases', service: 'roster-publisher', at: 130 };

describe('a limit the errors quote', () => {
  it('names the change that set it, though its service never moved and it came long before', async () => {
    const r = await run({ alert, series, changes, logs: logs('1048576') });
    expect(r.diagnosis?.root_cause.category).toBe('config');
    expect(r.diagnosis?.root_cause.change_id).toBe('cfg-checker-71');
  });

  it('does not name it when the errors quote another number', async () => {
    const r = await run({ alert, series, changes, logs: logs('4194304') });
    expect(r.diagnosis?.root_cause.change_id).not.toBe('cfg-checker-71');
  });
});

// The same with a memory limit, printed with its unit: a scheduler's job profile cut from 32 GB
// to 18 GB at minute 20, sized on small jobs. At minute 100 the first large jobs are killed at the
// new limit (the scheduler logs `state=OUT_OF_MEMORY mem=18G`, the workers' kernel the OOM kill).
// Running out of memory is then the cut's doing, not the workers' platform failing.
const jobsRun = syntheticRunner('limit-quoted-memory', { start: '2036-09-03T12:45:00Z', minutes: 150, stepSeconds: 60 });

describe('a memory limit the kills quote', () => {
  it('names the cut, not the workers running out of memory', async () => {
    const r = await jobsRun({
      alert: { title: 'samples failing alignment', service: 'pipeline-orchestrator', at: 112 },
      series: [
        { metric: 'pipeline_samples_failed_per_minute', service: 'pipeline-orchestrator', level: 0, shifts: [{ at: 101, to: 4 }] },
        { metric: 'slurm_oom_kill_events_per_minute', service: 'align-worker', level: 0, shifts: [{ at: 100, to: 6 }] },
        { metric: 'jobs_running', service: 'align-worker', level: 28, noise: 0.05 },
        { metric: 'jobs_submitted_per_minute', service: 'align-scheduler', level: 3, noise: 0.1 },
      ],
      changes: [
        {
          id: 'cfg-profile-12',
          service: 'align-scheduler',
          type: 'config',
          at: 20,
          summary: 'job profiles: right-size the default profile',
          diff: patch('profiles.yaml', ['  default:', '    memory_gb: 32', '    max_jobs_per_node: 4'], ['  default:', '    memory_gb: 18', '    max_jobs_per_node: 7']),
        },
        {
          id: 'rel-orch-31',
          service: 'pipeline-orchestrator',
          type: 'deploy',
          at: 90,
          summary: 'orchestrator 3.1: chat notification wording',
          diff: patch('orchestrator/notify.py', ['    text = f"sample {s} failed"'], ['    text = f"Sample {s} failed at {stage}"']),
        },
      ],
      logs: {
        'align-scheduler': [
          ...every(0, 150, 2, 'info', 'job completed sample=WES-1 maxrss=11G'),
          ...every(100, 150, 1, 'error', 'job failed sample=WGS-7 exit=137 state=OUT_OF_MEMORY mem=18G maxrss=18.0G'),
        ].sort((a, b) => a.at - b.at),
        'align-worker': [...every(0, 150, 3, 'info', 'step started'), ...every(100, 150, 1, 'error', 'slurmstepd: error: Detected 1 oom_kill event in StepId=884401.batch')].sort((a, b) => a.at - b.at),
        'pipeline-orchestrator': every(0, 150, 5, 'info', 'sample advanced'),
      },
    });
    expect(r.diagnosis?.root_cause.category).toBe('config');
    expect(r.diagnosis?.root_cause.change_id).toBe('cfg-profile-12');
  });
});
