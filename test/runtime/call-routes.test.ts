// Who answers an action the agent declares itself (as a client of Claude Managed Agents
// does): the client, with no confirmation in the log (custom tools ignore permission
// policies); never a worker without one, and the runtime's own environment as always.
import type { BetaManagedAgentsAgent } from '@anthropic-ai/sdk/resources/beta/agents/agents';
import { describe, expect, it } from 'vitest';
import { CallRoutes } from '../../src/runtime/call-routes.js';
import type { ToolSpec } from '../../src/protocol/tools.js';

const ROLLBACK: ToolSpec = { name: 'action_rollback', description: 'Remediation (rollback): roll back.', input_schema: { type: 'object', properties: {} } };

const agent = {
  id: 'agent_1',
  metadata: {},
  tools: [
    { type: 'custom', name: 'describe_bundle', description: 'What the bundle holds.', input_schema: { type: 'object', properties: {} } },
    { type: 'custom', ...ROLLBACK },
  ],
} as unknown as BetaManagedAgentsAgent;

describe('an action the agent declares as a custom tool', () => {
  it('is answered by the client on a client environment, after a confirmation by a worker, by the runtime locally', () => {
    expect(new CallRoutes(agent, 'client', () => [ROLLBACK]).route('action_rollback')).toBe('custom');
    expect(new CallRoutes(agent, 'worker', () => [ROLLBACK]).route('action_rollback')).toBe('hands');
    expect(new CallRoutes(agent, 'local', () => [ROLLBACK]).route('action_rollback')).toBe('environment');
  });

  it('is offered to the brain once when the environment declares it too', () => {
    const names = new CallRoutes(agent, 'client', () => [ROLLBACK]).tools().map((tool) => tool.name);
    expect(names.filter((name) => name === 'action_rollback')).toHaveLength(1);
  });
});
