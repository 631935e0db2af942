// A cache whose entries all expire at midnight. At 15:40 the entitlement service's release
// replaces each entry's lifetime (six hours and some jitter) by an expiry at the next midnight
// UTC. Nothing shows for eight hours; at 00:00 every entry written since expires in the same
// second, every lookup goes to the subscriptions database at once, its connections run out and
// playback starts fail until the cache refills. The release is named for the moment its new
// expiry came, not blamed on the playback release half an hour before; with a harmless diff in
// its place, it is not named.
import { describe, expect, it } from 'vitest';
import { syntheticRunner, verdict } from './helpers.js';
import { every, patch, ramp } from './synthetic.js';

const run = syntheticRunner('expiry-at-midnight', { start: '2036-11-06T15:00:00Z', minutes: 600, stepSeconds: 60 });

const aligned = patch(
  'src/main/kotlin/cache/EntitlementCache.kt',
  ['        redis.psetex(key(userId), ttl.toMillis() + jitterMs, codec.encode(e))'],
  ['        redis.set(key(userId), codec.encode(e))', '        redis.pexpireat(key(userId), LocalDate.now(ZoneOffset.UTC).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli())'],
);
const harmless = patch('src/main/kotlin/cache/EntitlementCache.kt', ['        log.debug("cached {}", userId)'], ['        log.trace("cached {}", userId)']);

/** A stampede at midnight (minute 540) that heals over a quarter hour as the cache refills. */
const stampede = (level: number, worst: number): Array<{ at: number; to: number }> => ramp(540, 15, worst, level);

function bundle(entitlementDiff: string): Parameters<typeof run>[0] {
  return {
    alert: { title: 'playback start failures', service: 'playback-api', at: 543 },
    series: [
      { metric: 'playback_start_failure_ratio', service: 'playback-api', level: 0.008, noise: 0.05, shifts: stampede(0.008, 0.45) },
      { metric: 'playback_starts_per_second', service: 'playback-api', level: 390, noise: 0.03 },
      { metric: 'entitlement_cache_hit_ratio', service: 'entitlement-service', level: 0.96, noise: 0.005, shifts: stampede(0.96, 0.05) },
      { metric: 'entitlement_lookups_per_second', service: 'entitlement-service', level: 400, noise: 0.03 },
      { metric: 'pg_connections_in_use', service: 'subscriptions-db', level: 40, noise: 0.05, shifts: stampede(40, 200) },
      { metric: 'pg_max_connections', service: 'subscriptions-db', level: 200, noise: 0 },
    ],
    changes: [
      { id: 'deploy-9182', service: 'entitlement-service', type: 'deploy', at: 40, summary: 'entitlement cache: align with billing day boundary', diff: entitlementDiff },
      { id: 'cfg-1204', service: 'subscriptions-db', type: 'config', at: 250, summary: 'autovacuum cost limit 200 -> 800' },
      { id: 'deploy-9190', service: 'playback-api', type: 'deploy', at: 510, summary: 'offer AV1 on Android TV', diff: patch('src/codecs.ts', ['  if (device.platform === "web") {'], ['  if (device.platform === "web" || device.platform === "androidtv") {']) },
    ],
    logs: {
      'playback-api': [...every(0, 600, 1, 'info', 'play start ok'), ...every(540, 555, 0.25, 'error', 'play start failed: entitlement lookup timed out')],
      'entitlement-service': [...every(0, 600, 1, 'info', 'entitlement served'), ...every(540, 555, 0.25, 'error', 'entitlement lookup failed: connection pool timeout')],
    },
  };
}

describe('entries set to expire together at midnight', () => {
  it('are the release that set it, named for when the boundary came', async () => {
    expect(verdict(await run(bundle(aligned)))).toEqual({ category: 'deploy', service: 'entitlement-service', change_id: 'deploy-9182' });
  });

  it('are not that release when its diff sets no such expiry', async () => {
    expect(verdict(await run(bundle(harmless))).change_id).not.toBe('deploy-9182');
  });
});
