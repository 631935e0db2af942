// A certificate expired on a store its clients know by address. At minute 100 the object store's
// TLS certificate expires; every client's calls fail the handshake, and their errors name the
// store by its address (`archive.radar.internal`), never by its service name. A blackbox probe,
// labelled with the store's service, checks that address and fails too. The clients log the
// failure; the store is whose certificate it is, and that is what is named, once, not read again
// as a dependency failing in rivalry with it.
import { describe, expect, it } from 'vitest';
import { syntheticRunner, verdict } from './helpers.js';
import { every, patch, type BundleSpec, type SeriesSpec } from './synthetic.js';

const run = syntheticRunner('probed-address', { start: '2036-10-01T04:20:00Z', minutes: 150, stepSeconds: 30 });

const series: SeriesSpec[] = [
  { metric: 'publisher_publish_errors_per_minute', service: 'product-publisher', level: 0, shifts: [{ at: 100.5, to: 12 }] },
  { metric: 'renderer_uploads_failed_per_minute', service: 'product-renderer', level: 0, shifts: [{ at: 100.5, to: 30 }] },
  { metric: 'probe_success', service: 'archive-store', labels: { job: 'blackbox', target: 'https://archive.radar.internal:9000/minio/health/live' }, level: 1, shifts: [{ at: 100, to: 0 }] },
  { metric: 'minio_s3_requests_per_second', service: 'archive-store', level: 40, noise: 0.05, shifts: [{ at: 100, to: 0.5 }] },
];

const changes: BundleSpec['changes'] = [
  {
    id: 'flag-renderer-cc',
    service: 'product-renderer',
    type: 'feature_flag',
    at: 92,
    summary: 'renderer: composite product on for CONUS',
    diff: patch('renderer/flags.yaml', ['composite_conus: false'], ['composite_conus: true']),
  },
];

const logs: BundleSpec['logs'] = {
  'product-renderer': [
    ...every(0, 150, 1, 'info', 'rendered product refl_conus'),
    ...every(100.2, 150, 0.5, 'error', 'upload to https://archive.radar.internal:9000/radar-products failed: x509: certificate has expired or is not yet valid'),
  ].sort((a, b) => a.at - b.at),
  'product-publisher': [
    ...every(0, 150, 2, 'info', 'published product'),
    ...every(100.3, 150, 1, 'error', 'GET https://archive.radar.internal:9000/radar-products/latest.json failed: certificate verify failed: certificate has expired'),
  ].sort((a, b) => a.at - b.at),
  'archive-store': every(0, 150, 2, 'info', 'scanner: healing objects'),
};

describe('a certificate expired on a store its clients know by address', () => {
  it('names the store, whose address a probe labelled with it checks', async () => {
    const r = await run({ alert: { title: 'radar products not published', service: 'product-publisher', at: 110 }, series, changes, logs });
    expect(verdict(r)).toEqual({ category: 'infrastructure', service: 'archive-store', change_id: null });
  });
});
