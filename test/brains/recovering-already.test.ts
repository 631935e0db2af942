// Two ways a release of the paged service can look guilty of a stampede it had nothing to do with.
// At 90 the cache in front of the entitlement store empties at once and the store is swamped;
// the cache refills over twenty minutes and the failures ease steadily from the first minute.
// The paged service's release at 60 added a probe whose fallback it warns about, about once a
// minute from then on, no faster when the incident began; at 104 the responders rolled it back,
// when the failures were already two thirds of the way down. Neither the steady warnings nor
// the rollback landing on a slope already heading back to normal make that release the cause.
import { describe, expect, it } from 'vitest';
import { syntheticRunner, verdict } from './helpers.js';
import { every, patch, ramp } from './synthetic.js';

const run = syntheticRunner('recovering-already', { start: '2036-11-07T22:30:00Z', minutes: 150, stepSeconds: 60 });

/** A failure ratio that jumps at 90 and falls back linearly over 20 minutes. */
const stampede = (level: number, peak: number): Array<{ at: number; to: number }> => ramp(90, 20, peak, level);

/** Errors that thin out as the cache refills: four a minute at first, one every two minutes at the end. */
function easing(message: string): ReturnType<typeof every> {
  return [...every(90, 95, 0.25, 'error', message), ...every(95, 100, 0.4, 'error', message), ...every(100, 105, 0.8, 'error', message), ...every(105, 110, 2, 'error', message)];
}

const probeRelease = patch(
  'src/playback/codecs.ts',
  ['  if (device.platform === "web" && device.caps.av1) {', '    codecs.unshift("av1");'],
  ['  if (device.caps.av1 && probeAv1Support(device)) {', '    codecs.unshift("av1");', '  } else if (device.caps.av1) {', '    log.warn({ device: device.platform }, "AV1 capability probe failed, falling back to HEVC");'],
);

function bundle(rolledBackAt: number | null): Parameters<typeof run>[0] {
  return {
    alert: { title: 'playback start failures', service: 'playback-api', at: 93 },
    series: [
      { metric: 'playback_start_failure_ratio', service: 'playback-api', level: 0.008, noise: 0.05, shifts: stampede(0.008, 0.48) },
      { metric: 'playback_starts_per_second', service: 'playback-api', level: 390, noise: 0.03 },
      { metric: 'entitlement_cache_hit_ratio', service: 'entitlement-service', level: 0.97, noise: 0.005, shifts: stampede(0.97, 0.05) },
      { metric: 'entitlement_lookup_duration_seconds_p99', service: 'entitlement-service', level: 0.02, noise: 0.05, shifts: stampede(0.02, 2.5) },
      { metric: 'pg_connections_in_use', service: 'subscriptions-db', level: 40, noise: 0.05, shifts: stampede(40, 200) },
    ],
    changes: [
      { id: 'rel-play-128', service: 'playback-api', type: 'deploy', at: 60, summary: 'offer AV1 on Android TV when the device reports support', diff: probeRelease },
      ...(rolledBackAt === null ? [] : [{ id: 'rb-play-128', service: 'playback-api', type: 'rollback', at: rolledBackAt, summary: 'roll playback-api back to 12.7.3', attributes: { reverts: 'rel-play-128' } }]),
    ],
    logs: {
      'playback-api': [
        ...every(0, 150, 0.5, 'info', 'play start ok'),
        ...every(61, rolledBackAt ?? 150, 1, 'warn', 'AV1 capability probe failed, falling back to HEVC (probeAv1Support)'),
        ...easing('play start failed: entitlement lookup timed out'),
      ],
      'entitlement-service': [...every(0, 150, 1, 'info', 'entitlement served'), ...easing('entitlement lookup failed: subscriptions-db pool timeout')],
    },
  };
}

describe('a release of the paged service beside a stampede', () => {
  it('is not named for warnings its new code logged steadily since it landed', async () => {
    expect(verdict(await run(bundle(null))).change_id).toBeNull();
  });

  it('is not named for a rollback that landed while the symptoms were already easing', async () => {
    expect(verdict(await run(bundle(104))).change_id).toBeNull();
  });
});
