import { describe, expect, it } from 'vitest';
import { assess, patch } from './helpers/patch.js';

describe('a lifecycle rule that deletes what it matches', () => {
  it('Terraform: a rule expiring every object under a prefix after a week acts at the provider’s next daily run', () => {
    const { risks } = assess(
      patch('terraform/registry/s3.tf', 40, [
        'resource "aws_s3_bucket_lifecycle_configuration" "registry" {',
        '  bucket = aws_s3_bucket.registry.id',
        '+  rule {',
        '+    id     = "expire-stale-upload-sessions"',
        '+    status = "Enabled"',
        '+    filter {',
        '+      prefix = "docker/registry/v2/"',
        '+    }',
        '+    expiration {',
        '+      days = 7',
        '+    }',
        '+  }',
        '}',
      ]),
    );
    expect(risks.map((s) => [s.kind, s.new])).toEqual([['objects_expired', '0 0 * * *']]);
    expect(risks[0]?.detail).toContain('every object under docker/registry/v2/ older than 7 days');
    expect(risks[0]?.code).toBe('terraform/registry/s3.tf:48');
  });

  it('the API’s JSON: an Expiration of current objects is read too', () => {
    const { risks } = assess(
      patch('infra/lifecycle.json', 1, ['{ "Rules": [ {', '+  "Filter": { "Prefix": "exports/" },', '+  "Expiration": { "Days": 30 },', '   "Status": "Enabled"', '} ] }']),
    );
    expect(risks.map((s) => s.kind)).toEqual(['objects_expired']);
  });

  it('is not read from expiring old versions, abandoned uploads or delete markers, nor outside lifecycle rules', () => {
    const { risks } = assess(
      patch('terraform/backups/s3.tf', 10, [
        'resource "aws_s3_bucket_lifecycle_configuration" "backups" {',
        '+  rule {',
        '+    noncurrent_version_expiration {',
        '+      noncurrent_days = 30',
        '+    }',
        '+    abort_incomplete_multipart_upload {',
        '+      days_after_initiation = 3',
        '+    }',
        '+    expiration {',
        '+      expired_object_delete_marker = true',
        '+    }',
        '+  }',
        '}',
      ]),
      patch('src/session.ts', 3, ['+const session = { expiration: { days: 7 } };']),
    );
    expect(risks).toEqual([]);
  });
});
