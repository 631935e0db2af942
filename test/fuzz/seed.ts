// How many cases a property runs and from which seed. npm test runs a small, fixed set
// (the same cases every time, so a failure there is never a fluke); the stress suite runs
// thousands from a fresh seed that it prints, and INCIDENT_FUZZ_SEED replays any run.
import type { Parameters } from 'fast-check';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';

export interface FuzzSize {
  /** Runs per property. */
  runs: number;
  /** A fixed seed, or null for a fresh one. */
  seed: number | null;
}

const FIXED_SEED = 20_260_210;

export function fuzzSize(runs: number, fresh = false): FuzzSize {
  const given = process.env['INCIDENT_FUZZ_SEED'];
  if (given !== undefined && given !== '') return { runs, seed: Number(given) };
  return { runs, seed: fresh ? null : FIXED_SEED };
}

/** fast-check parameters for a size; a fresh seed is printed so a failure can be replayed. */
export function fcParameters<T>(size: FuzzSize, name: string): Parameters<T> {
  const seed = size.seed ?? Math.floor(Math.random() * 2 ** 31);
  if (size.seed === null) console.info(`${name}: ${size.runs} runs, seed ${seed} (replay with INCIDENT_FUZZ_SEED=${seed})`);
  return { numRuns: size.runs, seed, endOnFailure: true };
}

/**
 * Where a property keeps its state folders: memory-backed when the machine has one, because
 * each commit of the state database waits for the disk, and a property commits thousands.
 */
export function scratchDir(): string {
  return existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
}
