import { describe, expect, it } from 'vitest';
import { assess, patch } from './helpers/patch.js';

const growth = (...patches: string[]): Array<[string, string | undefined]> =>
  assess(...patches)
    .risks.filter((s) => s.kind === 'unbounded_growth')
    .map((s) => [s.code, s.old]);

describe('an eviction policy deleted with nothing setting another', () => {
  it('Terraform: a parameter group with allkeys-lru removed for the provider default', () => {
    expect(
      growth(
        patch('terraform/cache.tf', 1, [
          '-resource "aws_elasticache_parameter_group" "state" {',
          '-  family = "redis6.x"',
          '-  parameter {',
          '-    name  = "maxmemory-policy"',
          '-    value = "allkeys-lru"',
          '-  }',
          '-}',
          ' resource "aws_elasticache_replication_group" "state" {',
          '-  parameter_group_name = aws_elasticache_parameter_group.state.name',
          '+  parameter_group_name = "default.redis7"',
          ' }',
        ]),
      ),
    ).toEqual([['terraform/cache.tf:5', 'allkeys-lru']]);
  });

  it('redis.conf: the policy line taken out', () => {
    expect(growth(patch('deploy/redis/redis.conf', 10, [' maxmemory 4gb', '-maxmemory-policy allkeys-lfu', ' appendonly no']))).toEqual([['deploy/redis/redis.conf:11', 'allkeys-lfu']]);
  });

  it('is not read where the diff sets a policy again, or the policy dropped evicted only what expires', () => {
    const moved = patch('terraform/cache.tf', 1, ['-  parameter {', '-    name  = "maxmemory-policy"', '-    value = "allkeys-lru"', '-  }']);
    const again = patch('terraform/params.tf', 1, ['+  parameter {', '+    name  = "maxmemory-policy"', '+    value = "allkeys-lru"', '+  }']);
    expect(growth(moved, again)).toEqual([]);
    expect(growth(patch('deploy/redis/redis.conf', 10, ['-maxmemory-policy volatile-lru']))).toEqual([]);
  });

  it('is read where the diff sets in its place a policy that keeps what has no expiry', () => {
    const swapped = patch('deploy/seathold-redis/values-prod.yaml', 20, [' commonConfiguration: |-', '-  maxmemory 3gb', '-  maxmemory-policy allkeys-lru', '+  maxmemory 5gb', '+  maxmemory-policy noeviction', '   save 900 1']);
    expect(growth(swapped)).toEqual([['deploy/seathold-redis/values-prod.yaml:22', 'allkeys-lru']]);
    const r = assess(swapped).risks;
    // Said once, as what replaced the policy, not also as "a cache removed".
    expect(r.map((s) => [s.kind, s.new])).toEqual([['unbounded_growth', 'noeviction']]);
    expect(r[0]?.detail).toContain('every write is refused');
    // Swapped for another policy that evicts any entry, nothing grows.
    expect(growth(patch('deploy/redis/redis.conf', 10, ['-maxmemory-policy allkeys-lru', '+maxmemory-policy allkeys-lfu']))).toEqual([]);
  });
});
