// The hands an evaluation serves in process: the worker's own MCP server behind the
// runtime's Hands interface, over an in-memory transport pair.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EnvironmentDefinitionSchema } from '../../src/definitions/index.js';
import { inProcessHands } from '../../src/eval/hands.js';
import type { SessionSetup } from '../../src/runtime/deps.js';

const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

function mountedSession(files: Record<string, string>): { setup: SessionSetup; root: string; mounts: () => number } {
  const root = mkdtempSync(join(tmpdir(), 'incident-eval-hands-'));
  made.push(root);
  let mounts = 0;
  const setup = {
    sessionId: 'sesn_test',
    agent: {} as SessionSetup['agent'],
    environment: EnvironmentDefinitionSchema.parse({
      name: 'with-restart',
      actions: [{ name: 'restart', kind: 'restart', description: 'Restart a deployment.', argv: ['true'], parameters: { service: { type: 'string' } } }],
    }),
    async ensureMounted() {
      mounts += 1;
      for (const [path, text] of Object.entries(files)) {
        mkdirSync(join(root, path, '..'), { recursive: true });
        writeFileSync(join(root, path), text);
      }
      return root;
    },
    onToolOutput: () => undefined,
  };
  return { setup, root, mounts: () => mounts };
}

const call = { toolUseId: 'sevt_1', signal: new AbortController().signal };

describe('hands served in process', () => {
  it('start on the first call, run the SRE tools over the mounted files, and name the mount root, not the host folder', async () => {
    const session = mountedSession({ 'runbooks/disk.md': 'Check the disk.\n' });
    const hands = inProcessHands(session.setup);
    try {
      expect(session.mounts()).toBe(0);
      expect(hands.extraTools().map((tool) => tool.name)).toEqual(['action_restart']);
      // A file that names where it lies on the host: what leaves the hands names the mount root instead.
      writeFileSync(join(session.root, 'notes.txt'), `copied from ${session.root}/runbooks\n`);
      const read = await hands.call('read_file', { path: 'notes.txt' }, call);
      expect(read.isError).toBe(false);
      expect(read.text).toContain('copied from /mnt/session/uploads/runbooks');
      expect(read.text).not.toContain(session.root);
      expect(session.mounts()).toBe(1);
    } finally {
      await hands.close();
    }
  });

  it('answer a call with bad arguments or an unknown tool with an error result, not a failure', async () => {
    const session = mountedSession({ 'logs/api.log': '2030-01-01T00:00:00Z INFO up\n' });
    const hands = inProcessHands(session.setup);
    try {
      const unknown = await hands.call('no_such_tool', {}, call);
      expect(unknown).toMatchObject({ isError: true });
      expect(unknown.text).toContain('unknown tool "no_such_tool"');
      const invalid = await hands.call('read_file', { path: 42 }, call);
      expect(invalid.isError).toBe(true);
      expect(invalid.text).toContain('invalid arguments for read_file');
    } finally {
      await hands.close();
    }
  });
});
