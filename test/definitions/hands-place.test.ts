// The `hands` field of an environment definition: where its tools run. Saying `local` is
// the same definition as saying nothing (the same hash, so existing environments stay
// bound to it); a place outside the runtime cannot have external MCP servers, which only
// the runtime's own worker starts.
import { describe, expect, it } from 'vitest';
import { definitionHash, handsPlaceOf, parseEnvironmentDefinition } from '../../src/definitions/index.js';

const FILE = 'environments/ops.yaml';

describe('where the hands run', () => {
  it('local is the default and hashes as no field at all; client and worker are kept', () => {
    const bare = parseEnvironmentDefinition('name: ops\n', FILE);
    const local = parseEnvironmentDefinition('name: ops\nhands: local\n', FILE);
    expect(handsPlaceOf(bare)).toBe('local');
    expect(definitionHash(local)).toBe(definitionHash(bare));
    expect(handsPlaceOf(parseEnvironmentDefinition('name: ops\nhands: worker\n', FILE))).toBe('worker');
    expect(definitionHash(parseEnvironmentDefinition('name: ops\nhands: client\n', FILE))).not.toBe(definitionHash(bare));
  });

  it('refuses an unknown place, and external MCP servers outside the runtime, naming file and field', () => {
    expect(() => parseEnvironmentDefinition('name: ops\nhands: cloud\n', FILE)).toThrow(/ops\.yaml:2.*hands/s);
    const servers = 'name: ops\nhands: client\nmcp_servers:\n  - { name: metrics, command: npx }\n';
    expect(() => parseEnvironmentDefinition(servers, FILE)).toThrow(/mcp_servers.*only with hands: local/s);
  });
});
