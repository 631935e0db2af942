// Compression taken off a writer. At minute 10 a release of the demultiplexer stops gzipping the
// files it writes to the shared file system. It runs a job when a sequencing run finishes: the
// next one starts at minute 100 and writes several times the bytes it used to. The file server's
// write latency leaps and the ingest service copying from the sequencers onto the same server
// logs its fsyncs stalling; its lag pages. The storage is not failing: it is carrying what the
// release multiplied.
import { describe, expect, it } from 'vitest';
import { syntheticRunner } from './helpers.js';
import { every, patch, type BundleSpec, type SeriesSpec } from './synthetic.js';

const run = syntheticRunner('compression-removed', { start: '2036-07-13T23:40:00Z', minutes: 150, stepSeconds: 30 });

const series: SeriesSpec[] = [
  { metric: 'ingest_copy_lag_seconds', service: 'seq-ingest', level: 20, noise: 0.1, shifts: [{ at: 101, to: 600 }, { at: 110, to: 1500 }] },
  { metric: 'nfs_write_latency_seconds_p99', service: 'storage-gw', level: 0.009, noise: 0.1, shifts: [{ at: 100, to: 0.45 }] },
  { metric: 'disk_busy_ratio', service: 'storage-gw', level: 0.3, noise: 0.05, shifts: [{ at: 100, to: 0.99 }] },
  { metric: 'demux_jobs_running', service: 'bcl-demux', level: 0, shifts: [{ at: 100, to: 1 }] },
];

const gzipDiff = patch(
  'bcl_demux/writer.py',
  ['    def _open(self, name):', '        path = self.out_dir / f"{name}.fastq.gz"', '        return path, gzip.open(path, "wb", compresslevel=1)'],
  ['    def _open(self, name):', '        path = self.out_dir / f"{name}.fastq"', '        return path, open(path, "wb", buffering=1 << 26)'],
);

const changes = (diff: string): BundleSpec['changes'] => [
  { id: 'dep-demux-260', service: 'bcl-demux', type: 'deploy', at: 10, summary: 'bcl-demux 2.6: plain FASTQ output', diff },
  {
    id: 'dep-ingest-220',
    service: 'seq-ingest',
    type: 'deploy',
    at: 92,
    summary: 'seq-ingest 2.2: checksum with xxhash',
    diff: patch('ingest/checksum.py', ['    h = hashlib.md5()'], ['    h = xxhash.xxh64()']),
  },
];

const logs: BundleSpec['logs'] = {
  'bcl-demux': every(100, 150, 1, 'info', 'wrote sample fastq run=A01822'),
  'seq-ingest': [...every(0, 150, 1, 'info', 'copied cycle files run=LH00417'), ...every(100.5, 150, 1, 'warn', 'slow fsync of cycle file took 2140 ms')].sort((a, b) => a.at - b.at),
  'storage-gw': every(0, 150, 2, 'info', 'nfsd: export healthy'),
};

const alert = { title: 'sequencer copy lag above 10 minutes', service: 'seq-ingest', at: 112 };

describe('compression taken off a writer', () => {
  it('is the release, not the storage that carries what it multiplied', async () => {
    const r = await run({ alert, series, changes: changes(gzipDiff), logs });
    expect(r.diagnosis?.root_cause.change_id).toBe('dep-demux-260');
  });
});
