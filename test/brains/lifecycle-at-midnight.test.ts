// A lifecycle rule acts when the provider runs it. At 22:30 UTC an infra change adds a rule to
// the registry's bucket that expires every object under the registry's prefix after a week;
// nothing happens until the provider's daily lifecycle run after midnight UTC, when old blobs
// begin to vanish and pulls of old images fail with "blob unknown". The registry's own
// release, twenty minutes before midnight, is the nearest change to the page; the rule is the
// one that acted then.
import { describe, expect, it } from 'vitest';
import { syntheticRunner, verdict } from './helpers.js';
import { every, patch, type BundleSpec, type SeriesSpec } from './synthetic.js';

const START = '2036-08-11T22:00:00Z';

const run = syntheticRunner('lifecycle-at-midnight', { start: START, minutes: 200, stepSeconds: 60 });

function series(): SeriesSpec[] {
  return [
    { metric: 'registry_blob_not_found_per_second', service: 'registry', level: 0.01, noise: 0.1, shifts: [{ at: 124, to: 4 }, { at: 150, to: 12 }] },
    { metric: 'registry_http_requests_per_second', service: 'registry', level: 300, noise: 0.03 },
    { metric: 'registry_storage_action_errors_per_second', service: 'registry', labels: { backend: 'registry-storage', error: 'PathNotFound' }, level: 0.01, noise: 0.1, shifts: [{ at: 124, to: 4 }, { at: 150, to: 12 }] },
    { metric: 'ci_image_pull_failures_per_second', service: 'ci-runners', level: 0.01, noise: 0.1, shifts: [{ at: 125, to: 2 }, { at: 150, to: 6 }] },
  ];
}

const changes: BundleSpec['changes'] = [
  {
    id: 'infra-registry-lifecycle',
    service: 'registry-storage',
    type: 'infra',
    at: 30,
    summary: 'registry bucket: expire stale upload sessions (OPS-1187)',
    diff: patch(
      'terraform/registry/s3.tf',
      ['  rule {', '    id = "abort-incomplete-mpu"', '  }'],
      ['  rule {', '    id = "abort-incomplete-mpu"', '  }', '  rule {', '    filter {', '      prefix = "docker/registry/v2/"', '    }', '    expiration {', '      days = 7', '    }', '  }'],
    ).replace('  // context above', 'resource "aws_s3_bucket_lifecycle_configuration" "registry" {'),
  },
  {
    id: 'deploy-registry-31',
    service: 'registry',
    type: 'deploy',
    at: 100,
    summary: 'registry 3.1: cache-control headers on manifests',
    diff: patch('cmd/registry/headers.go', ['\tw.Header().Set("Cache-Control", "no-cache")'], ['\tw.Header().Set("Cache-Control", "max-age=60")']),
  },
];

const logs: BundleSpec['logs'] = {
  registry: [
    ...every(0, 200, 1, 'info', 'response completed http.request.method=GET'),
    ...every(124, 200, 0.5, 'error', 'response completed with error err.code="blob unknown" err.message="blob unknown to registry" driver=s3aws'),
  ].sort((a, b) => a.at - b.at),
  'ci-runners': [...every(0, 200, 2, 'info', 'job started'), ...every(125, 200, 1, 'error', 'failed to pull image: manifest unknown')].sort((a, b) => a.at - b.at),
};

const alert = { title: 'Registry blob errors high', service: 'registry', at: 160 };

describe('a lifecycle rule that deletes what it matches', () => {
  it('acts at the provider’s daily run after midnight UTC, not when it was applied', async () => {
    const r = await run({ alert, series: series(), changes, logs });
    expect(verdict(r)).toEqual({ category: 'infrastructure', service: 'registry-storage', change_id: 'infra-registry-lifecycle' });
  });
});
