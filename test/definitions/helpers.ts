// Shared by the definition tests: the issues a parse throws, and small valid documents.
import { expect } from 'vitest';
import { InvalidDefinitionError } from '../../src/definitions/index.js';

/** Runs `parse` and returns the issue lines of the InvalidDefinitionError it must throw. */
export function issuesOf(parse: () => unknown): readonly string[] {
  try {
    parse();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidDefinitionError);
    return (error as InvalidDefinitionError).issues;
  }
  throw new Error('expected the definition to be rejected');
}

export const AGENT = [
  'name: sre',
  'model: claude-opus-4-8',
  'system: Investigate.',
  'tools:',
  '  - name: describe_bundle',
  '    permission: always_allow',
  '  - name: submit_diagnosis',
  '    permission: always_allow',
  '',
].join('\n');

export const ENVIRONMENT = [
  'name: local',
  'actions:',
  '  - name: rollback',
  '    kind: rollback',
  '    description: Roll back.',
  '    argv: [kubectl, rollout, undo, "deployment/{service}"]',
  '    parameters:',
  '      service: { type: string }',
  '',
].join('\n');
