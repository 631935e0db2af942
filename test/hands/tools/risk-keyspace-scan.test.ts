// A lookup that became a walk of a key-value store's whole keyspace (Redis KEYS) costs every key
// per call and stalls every client of that store: read in any client's spelling, and not
// confused with a dictionary's keys, an object's keys or a scan that was there before.
import { describe, expect, it } from 'vitest';
import { assess, patch } from './helpers/patch.js';

const scans = (...patches: string[]): string[] =>
  assess(...patches)
    .risks.filter((s) => s.kind === 'index_bypassed')
    .map((s) => s.code);

describe('a lookup that walks the keyspace', () => {
  it('is read from a Python client, a Go client, a Lua script and a raw command', () => {
    expect(scans(patch('app/sessions.py', 40, ['-        raw = self.redis.get(f"sess:{user_id}")', '+        keys = self.redis.keys(f"sess:{user_id}:*")', '+        raw = self.redis.mget(keys)']))).toEqual(['app/sessions.py:40']);
    expect(scans(patch('internal/carts/store.go', 80, ['-\tval, err := s.rdb.Get(ctx, cartKey(id)).Result()', '+\tpattern := "cart:" + id + ":*"', '+\tkeys, err := s.rdb.Keys(ctx, pattern).Result()']))).toEqual(['internal/carts/store.go:81']);
    expect(scans(patch('scripts/expire.lua', 3, ["-local v = redis.call('GET', KEYS[1])", "+local ks = redis.call('KEYS', ARGV[1])"]))).toHaveLength(1);
    expect(scans(patch('src/Quota.java', 12, ['-        String v = jedis.get("quota:" + tenant);', '+        Set<String> ks = jedis.keys("quota:" + tenant + ":*");']))).toHaveLength(1);
  });

  it('is not a dictionary, an object or a map, nor a walk the old code made already', () => {
    expect(scans(patch('app/report.py', 3, ['-    for k in sorted(totals):', '+    for k in sorted(totals.keys()):']))).toEqual([]);
    expect(scans(patch('src/merge.ts', 3, ['-  const names = Array.from(byName);', '+  const names = Object.keys(byName).filter((n) => n.startsWith(prefix));']))).toEqual([]);
    expect(scans(patch('app/sessions.py', 40, ['-        keys = self.redis.keys(f"sess:{user_id}:*")', '+        keys = self.redis.keys(f"sess:{user_id}:v2:*")']))).toEqual([]);
  });
});
