// `incident diagnose <bundle> --json` end to end on every shipped fixture: the SDK, the
// local runtime, the environment worker, the offline brain and the verifier.
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DiagnosisSchema } from '../../src/protocol/diagnosis.js';
import { SessionEventSchema } from '../../src/protocol/event-schema.js';
import { cliEnv, runCli, tempHome, userBundle } from './cli.js';

interface Truth {
  category: string;
  service: string | null;
  change_id: string | null;
}

const fixtures = readdirSync(resolve('fixtures'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

describe('incident diagnose --json on every fixture', () => {
  const home = tempHome();
  it.each(fixtures)('%s', async (fixture) => {
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

describe('incident diagnose --ndjson', () => {
  it('prints every event as one line that validates against the event schema', async () => {
    const home = tempHome();
    const result = await runCli(['diagnose', userBundle('checkout-cache-removed'), '--ndjson'], cliEnv(home));
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n');
    const events = lines.map((line) => SessionEventSchema.parse(JSON.parse(line)));
    expect(new Set(events.map((event) => event.id)).size).toBe(events.length);
    // First the run's rules (recorded for a resume), then the question.
    expect(events.slice(0, 2).map((event) => event.type)).toEqual(['session.updated', 'user.message']);
    expect(events[0]).toMatchObject({ metadata: { 'incident.approve': 'never' } });
    expect(events.some((event) => event.type === 'agent.tool_use')).toBe(true);
    expect(events.at(-1)?.type).toBe('session.status_idle');
  });
});
