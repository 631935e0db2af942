import { describe, expect, it } from 'vitest';
import { assess, patch } from './helpers/patch.js';

const dropped = (...patches: string[]): string[] =>
  assess(...patches)
    .risks.filter((s) => s.kind === 'unit_mismatch')
    .map((s) => s.code);

describe('a unit conversion removed while the value is still produced', () => {
  it('is found for a scaling factor, in Rust, Kotlin and Python', () => {
    expect(
      dropped(patch('src/decode/meter.rs', 10, ['-        "KL" => value * 1000.0,', '-        _ => value,', '+    let litres = unit.litres(s.value());'])),
    ).toEqual(['src/decode/meter.rs:10']);
    expect(
      dropped(patch('app/src/main/kotlin/Gust.kt', 20, ['         return Reading(', '-            speedMps = raw.speedKnots * 0.514444,', '+            speedMps = raw.speed,', '         )'])),
    ).toEqual(['app/src/main/kotlin/Gust.kt:21']);
    expect(dropped(patch('ingest/depth.py', 4, ['-    depth_m = sample.depth_ft * 0.3048', '+    depth_m = sample.depth']))).toEqual(['ingest/depth.py:4']);
  });

  it('is found for a converter call that no new line makes', () => {
    const risks = assess(patch('internal/publish/obs.go', 30, ['-\t\tTempC:   fToC(cur.TempF),', '+\t\tTempC:   o.Temp,'])).risks;
    expect(risks.map((s) => [s.kind, s.code])).toEqual([['unit_mismatch', 'internal/publish/obs.go:30']]);
    expect(risks[0]?.detail).toBe('the conversion fToC() is removed and nothing applies it now: the value passes unconverted, in whatever unit its source sends');
  });

  it('is not found when the factor moves, when a typed duration converts instead, or for counts and shares', () => {
    expect(
      dropped(
        // The factor moved into a constant.
        patch('ingest/wind.py', 4, ['-    wind_mps = raw.mph * 0.44704', '+    MPH_TO_MPS = 0.44704', '+    wind_mps = raw.mph * MPH_TO_MPS']),
      ),
    ).toEqual([]);
    expect(dropped(patch('src/timeouts.rs', 4, ['-    let wait_ms = cfg.wait_secs * 1000;', '+    let wait = Duration::from_secs(cfg.wait_secs);']))).toEqual([]);
    expect(dropped(patch('src/page.ts', 4, ['-  const offset = page * 50;', '+  const offset = cursorOf(page);']))).toEqual([]);
    expect(dropped(patch('src/backoff.ts', 4, ['-  delay = delay * 1.5;', '+  delay = next(delay);']))).toEqual([]);
    // A name shaped like a converter whose operand states no unit it converts from.
    expect(dropped(patch('src/push.ts', 4, ['-  const receipt = sendToDevice(message);', '+  const receipt = await client.send(message);']))).toEqual([]);
    // The value is no longer produced at all: a removal, not a conversion lost.
    expect(dropped(patch('ingest/gone.py', 4, ['-    depth_m = sample.depth_ft * 0.3048', '+    pass']))).toEqual([]);
  });
});
