// `incident diagnose <bundle> --json` end to end on the shipped fixtures: the SDK, the
// local runtime, the environment worker, the offline brain and the verifier.
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DiagnosisSchema } from '../../src/protocol/diagnosis.js';
import { cliEnv, runCli, tempHome, userBundle } from './cli.js';

interface Truth {
  category: string;
  service: string | null;
  change_id: string | null;
}

export const fixtures = readdirSync(resolve('fixtures'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

/**
 * The CLI over the given fixtures. `npm test` takes one per way an outcome is reported
 * (each fixture's diagnosis is also checked in process by test/brains/fixtures.test.ts);
 * `npm run test:stress` takes them all.
 */
export function diagnoseSuite(names: readonly string[]): void {
  describe(`incident diagnose --json on ${names.length === fixtures.length ? 'every fixture' : `${names.length} of the ${fixtures.length} fixtures`}`, () => {
    const home = tempHome();
    it.each(names)('%s', async (fixture) => {
      const truth = JSON.parse(readFileSync(resolve('fixtures', fixture, 'truth.json'), 'utf8')) as Truth;
      const result = await runCli(['diagnose', userBundle(fixture), '--json'], cliEnv(home));
      expect(result.stderr).toBe('');
      const output = JSON.parse(result.stdout) as { session_id: string; diagnosis: unknown; usage: unknown };
      expect(output.session_id).toMatch(/^sesn_/);
      const diagnosis = DiagnosisSchema.parse(output.diagnosis);
      expect(diagnosis.root_cause.category).toBe(truth.category);
      expect(diagnosis.root_cause.change_id).toBe(truth.change_id);
      if (truth.category !== 'unknown' && truth.category !== 'dependency') expect(diagnosis.root_cause.service).toBe(truth.service);
      expect(result.code).toBe(truth.category === 'unknown' ? 3 : 0);
    });
  });
}
