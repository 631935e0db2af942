// Shared helpers for benchmarks: timing, peak RSS, medians.
import { spawnSync } from 'node:child_process';

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Wall time of a command, in ms (median of `runs`). */
export function timeCommand(command, args, runs = 11, options = {}) {
  const times = [];
  for (let i = 0; i < runs; i += 1) {
    const start = process.hrtime.bigint();
    const result = spawnSync(command, args, { stdio: 'ignore', ...options });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (result.status !== 0 && !options.allowFailure) throw new Error(`${command} ${args.join(' ')} exited with ${result.status}`);
    times.push(ms);
  }
  return median(times);
}

export function report(result) {
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

/** mulberry32: a small, fast, seeded generator, so every run sees the same data. */
export function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
