// Cache entries whose own lifetimes were replaced by one absolute expiry at a boundary all
// expire together: read with the boundary as a cron (UTC when the code says so), and not for a
// lifetime merely changed, nor an absolute expiry the old code set already.
import { describe, expect, it } from 'vitest';
import { assess, patch } from './helpers/patch.js';

const aligned = (...patches: string[]): Array<string | undefined> =>
  assess(...patches)
    .risks.filter((s) => s.kind === 'expiry_aligned')
    .map((s) => s.new);

describe('entries that expire together', () => {
  it('is a TTL with jitter replaced by an expiry at the next midnight UTC (Kotlin) or the next hour (Python)', () => {
    expect(
      aligned(
        patch('src/main/kotlin/cache/EntitlementCache.kt', 20, [
          '     fun put(userId: String, e: Entitlement) {',
          '-        redis.psetex(key(userId), ttl.toMillis() + jitterMs, codec.encode(e))',
          '+        redis.set(key(userId), codec.encode(e))',
          '+        redis.pexpireat(key(userId), LocalDate.now(ZoneOffset.UTC).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli())',
          '     }',
        ]),
      ),
    ).toEqual(['0 0 * * *']);
    expect(
      aligned(
        patch('app/cache.py', 10, [
          '-    r.setex(key, 3600 + random.randint(0, 300), payload)',
          '+    top = (now + timedelta(hours=1)).replace(minute=0, second=0, microsecond=0)',
          '+    r.set(key, payload, exat=int(top.timestamp()))',
        ]),
      ),
    ).toEqual(['0 * * * *']);
  });

  it('is not a lifetime changed, nor an absolute expiry that was there before', () => {
    expect(aligned(patch('app/cache.py', 10, ['-    r.setex(key, 3600, payload)', '+    r.setex(key, 1800, payload)']))).toEqual([]);
    expect(aligned(patch('app/cache.py', 10, ['-    r.expireat(key, midnight(now))', '+    r.expireat(key, midnight(now) + 60)', '     r.expire(other, ttl)']))).toEqual([]);
  });
});
