// `incident diagnose` end to end: the CLI on half the fixtures (all of them in
// `npm run test:stress`), and the NDJSON stream checked against the event schema.
import { describe, expect, it } from 'vitest';
import { SessionEventSchema } from '../../src/protocol/event-schema.js';
import { cliEnv, runCli, tempHome, userBundle } from './cli.js';
import { diagnoseSuite, fixtures } from './diagnose-suite.js';

diagnoseSuite(fixtures.filter((_, index) => index % 2 === 0));

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
