import { describe, expect, it } from 'vitest';
import { assess, patch } from './helpers/patch.js';

const growth = (...patches: string[]): Array<[string, string]> =>
  assess(...patches)
    .risks.filter((s) => s.kind === 'unbounded_growth')
    .map((s) => [s.code, s.detail]);

const settings = (line: string): string => patch('app/settings.py', 20, ['     idempotency_enabled: bool = True', `+    ${line}`]);
const store = patch('app/idempotency.py', 1, [
  '+class IdempotencyStore:',
  '+    async def save(self, key: str, record: dict) -> None:',
  '+        await self._redis.set(self._key(key), json.dumps(record))',
], { newFile: true });

describe('a lifetime declared that nothing reads', () => {
  it('Python: a TTL setting added beside a store write that gives none', () => {
    expect(growth(settings('idempotency_ttl_seconds: int = 172_800'), store)).toEqual([
      [
        'app/idempotency.py:3',
        'entries written by set() are given no lifetime, though the change declares one (idempotency_ttl_seconds 172_800) that nothing it adds reads: the store keeps every one until it fills, then evicts or refuses writes',
      ],
    ]);
  });

  it('YAML: a cache block given a ttl that the new code never reads', () => {
    const yaml = patch('src/main/resources/application.yaml', 40, ['   wait-estimate:', '+  position-cache:', '+    enabled: true', '+    ttl: 10m']);
    const kotlin = patch('src/main/kotlin/x/PositionCache.kt', 1, ['+class PositionCache(private val redis: RedisCommands<String, String>) {', '+    fun put(k: String, v: String) { redis.set(k, v) }', '+}'], { newFile: true });
    expect(growth(yaml, kotlin).map(([code]) => code)).toEqual(['src/main/kotlin/x/PositionCache.kt:2']);
  });

  it('is not read where the setting is read, or the write gives a lifetime, or the write is no store', () => {
    const reads = patch('app/idempotency.py', 1, [
      '+class IdempotencyStore:',
      '+    async def save(self, key: str, record: dict) -> None:',
      '+        await self._redis.set(self._key(key), json.dumps(record))',
      '+        await self._redis.expire(self._key(key), settings.idempotency_ttl_seconds)',
    ], { newFile: true });
    expect(growth(settings('idempotency_ttl_seconds: int = 172_800'), reads)).toEqual([]);
    const local = patch('app/seen.py', 1, ['+def remember(seen: dict, key: str) -> None:', '+    seen.set(key, True)'], { newFile: true });
    expect(growth(settings('idempotency_ttl_seconds: int = 172_800'), local)).toEqual([]);
  });
});
