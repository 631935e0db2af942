import { describe, expect, it } from 'vitest';
import { canonicalJson, definitionHash, parseAgentDefinition, parseEnvironmentDefinition } from '../../src/definitions/index.js';
import { AGENT } from './helpers.js';

const agentHash = (text: string) => definitionHash(parseAgentDefinition(text, 'a.yaml'));
const environmentHash = (text: string) => definitionHash(parseEnvironmentDefinition(text, 'e.yaml'));

const ENVIRONMENT = `
name: local
worker:
  call_timeout: 30s
  start: lazy
actions:
  - name: rollback
    kind: rollback
    description: Roll back.
    argv: [kubectl, rollout, undo, "deployment/{service}"]
    parameters:
      service: { type: string, pattern: "^[a-z-]+$" }
      namespace: { type: string, default: production }
    timeout: 2m
`;

describe('definitionHash', () => {
  it('is 16 hex characters', () => {
    expect(agentHash(AGENT)).toMatch(/^[0-9a-f]{16}$/);
  });

  it('ignores comments, key order, quoting, flow versus block style and written-out defaults', () => {
    const rewritten = [
      '# the same agent, written differently',
      'tools: [{ permission: always_allow, name: describe_bundle }, { name: "submit_diagnosis", permission: always_allow }]',
      "system: 'Investigate.'",
      'actions_permission: always_ask   # the default',
      'model: { id: claude-opus-4-8 }',
      'max_steps: 40',
      'description: ""',
      'name: "sre"',
      '',
    ].join('\n');
    expect(agentHash(rewritten)).toBe(agentHash(AGENT));
  });

  it('reads the same duration written two ways as the same meaning', () => {
    const reordered = ENVIRONMENT.replace('call_timeout: 30s', 'call_timeout: 30000ms').replace('timeout: 2m', 'timeout: 1m60s');
    expect(environmentHash(reordered)).toBe(environmentHash(ENVIRONMENT));
    const explicit = ENVIRONMENT.replace(
      '      service: { type: string, pattern: "^[a-z-]+$" }',
      '      service:\n        pattern: "^[a-z-]+$"\n        required: true\n        type: string',
    );
    expect(environmentHash(explicit)).toBe(environmentHash(ENVIRONMENT));
  });

  it('changes with any change of meaning', () => {
    const base = agentHash(AGENT);
    expect(agentHash(AGENT.replace('    permission: always_allow\n', '    permission: always_ask\n'))).not.toBe(base);
    expect(agentHash(AGENT.replace('system: Investigate.', 'system: Investigate carefully.'))).not.toBe(base);
    expect(agentHash(`${AGENT}max_steps: 41\n`)).not.toBe(base);
    // Tool order is what the model is shown, so it is part of the meaning.
    const swapped = AGENT.replace('describe_bundle', 'TMP').replace('submit_diagnosis', 'describe_bundle').replace('TMP', 'submit_diagnosis');
    expect(agentHash(swapped)).not.toBe(base);
    expect(environmentHash(ENVIRONMENT.replace('timeout: 2m', 'timeout: 3m'))).not.toBe(environmentHash(ENVIRONMENT));
  });
});

describe('canonicalJson', () => {
  it('sorts keys at every level and leaves out undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: undefined, x: null }], c: 'x' } })).toBe('{"a":{"c":"x","d":[3,{"x":null,"z":1}]},"b":1}');
  });
});
