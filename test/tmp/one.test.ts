import { it } from 'vitest';
import { writeBundle, every } from '../brains/synthetic.js';
it('write', () => {
  const grow = 1.2e7;
  writeBundle('/tmp/syn-leak', { start: '2034-03-14T09:00:00Z', minutes: 150, alert: { title: 'IngestLagging', service: 'ingest', at: 128 },
    series: [
    { metric: 'container_memory_working_set_bytes', service: 'ingest', labels: { pod: 'ingest-old-a' }, level: 4e8, noise: 0.01, until: 30 },
    { metric: 'container_memory_working_set_bytes', service: 'ingest', labels: { pod: 'ingest-old-b' }, level: 4e8, noise: 0.01, until: 30 },
    { metric: 'container_memory_working_set_bytes', service: 'ingest', labels: { pod: 'ingest-new-a' }, level: 2.5e8, noise: 0.01, from: 30.5, slope: grow },
    { metric: 'container_memory_working_set_bytes', service: 'ingest', labels: { pod: 'ingest-new-b' }, level: 2.5e8, noise: 0.01, from: 30.5, slope: grow },
    { metric: 'ingest_consumer_lag_seconds', service: 'ingest', level: 2, shifts: [{ at: 120, to: 340 }] }],
    changes: [
      { id: 'rel-12', service: 'ingest', type: 'deploy', at: 30, summary: 'ingest 3.1: drop duplicate events' },
      { id: 'cfg-8', service: 'ingest', type: 'config', at: 95, summary: 'log sampling 10% -> 5%' },
    ],
    logs: { ingest: [...every(0, 150, 2, 'info', 'ingest ok'), ...every(118, 150, 1, 'warn', 'OOMKilled: container ingest exceeded its memory limit')] } });
});
