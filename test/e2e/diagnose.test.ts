// `incident diagnose` end to end: the CLI on three fixtures (all of them in
// `npm run test:stress`), and the NDJSON stream checked against the event schema.
import { describe, expect, it } from 'vitest';
import { SessionEventSchema } from '../../src/protocol/event-schema.js';
import { cliEnv, runCli, tempHome, userBundle } from './cli.js';
import { diagnoseSuite, fixtures } from './diagnose-suite.js';

// One fixture for each way the CLI reports an outcome: a change named as the cause (exit 0),
// a cause outside the system with no service to name (exit 0), and no cause found (exit 3).
// Each fixture's diagnosis itself is checked in process by test/brains/fixtures.test.ts,
// so more fixtures here would prove the same path again.
const REPRESENTATIVE = ['payments-pool-shrunk', 'payflow-provider-degraded', 'gateway-latency-unexplained'];
diagnoseSuite(fixtures.filter((name) => REPRESENTATIVE.includes(name)));

it('the representative fixtures are all shipped', () => {
  expect(fixtures.filter((name) => REPRESENTATIVE.includes(name))).toHaveLength(REPRESENTATIVE.length);
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
