// An agent created with the API's built-in toolset (agent_toolset_20260401, as the API's
// own quick start does) reads the session's mounts with read, glob and grep in the local
// runtime, through the real environment worker; bash, write and edit are answered with a
// tool error that says why.
import { toFile } from '@anthropic-ai/sdk';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeClient } from '../../src/client/sdk.js';
import { environmentHands } from '../../src/runtime/environment-hands.js';
import { defaultWorkerScript } from '../../src/runtime/hands/index.js';
import { createLocalRuntime, type LocalRuntime } from '../../src/runtime/runtime.js';
import { scriptedBrain } from './scripted.js';

type Event = { id: string; type: string; name?: string; tool_use_id?: string; is_error?: boolean; content?: Array<{ text?: string }> };

const open: LocalRuntime[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((runtime) => runtime.close()));
});

describe('the agent toolset in the local runtime', () => {
  it('read, glob and grep see the mounted files; bash, write and edit are refused with a tool error', async () => {
    const workerScript = defaultWorkerScript();
    if (!workerScript) throw new Error('dist/hands-worker.js is not built');
    const steps = [
      [
        { kind: 'tool_use' as const, name: 'read', input: { file_path: '/mnt/session/uploads/logs/api.log' } },
        { kind: 'tool_use' as const, name: 'glob', input: { pattern: '**/*.log' } },
        { kind: 'tool_use' as const, name: 'grep', input: { pattern: 'ERROR' } },
        { kind: 'tool_use' as const, name: 'bash', input: { command: 'cat /etc/passwd' } },
        { kind: 'tool_use' as const, name: 'write', input: { file_path: 'x', content: 'y' } },
      ],
      [{ kind: 'message' as const, text: 'done' }],
    ];
    const runtime = createLocalRuntime({
      home: mkdtempSync(join(tmpdir(), 'incident-toolset-')),
      resume: false,
      deps: { brainFor: () => scriptedBrain(steps), handsFor: (setup) => environmentHands(setup, { workerScript, parentEnv: { PATH: process.env['PATH'] } }) },
    });
    open.push(runtime);
    const client = await makeClient({ fetch: runtime.fetch });
    const agent = await client.beta.agents.create({ name: 'quickstart', model: 'claude-opus-4-8', tools: [{ type: 'agent_toolset_20260401' }] });
    const environment = await client.beta.environments.create({ name: 'quickstart', config: { type: 'cloud', networking: { type: 'unrestricted' } } });
    const file = await client.beta.files.upload({ file: await toFile(Buffer.from('2026-11-20T14:00:00Z ERROR upstream timeout\n'), 'api.log', { type: 'text/plain' }) });
    const session = await client.beta.sessions.create({
      agent: agent.id,
      environment_id: environment.id,
      resources: [{ type: 'file', file_id: file.id, mount_path: '/logs/api.log' }],
    });
    const stream = await client.beta.sessions.events.stream(session.id);
    await client.beta.sessions.events.send(session.id, { events: [{ type: 'user.message', content: [{ type: 'text', text: 'look' }] }] });
    const events: Event[] = [];
    for await (const event of stream) {
      events.push(event as unknown as Event);
      if (event.type === 'session.status_idle') break;
    }
    const resultOf = (name: string): Event | undefined => {
      const use = events.find((event) => event.type === 'agent.tool_use' && event.name === name);
      return events.find((event) => event.type === 'agent.tool_result' && event.tool_use_id === use?.id);
    };
    const text = (event: Event | undefined): string => (event?.content ?? []).map((block) => block.text ?? '').join('\n');
    expect(resultOf('read')?.is_error).toBe(false);
    expect(text(resultOf('read'))).toContain('ERROR upstream timeout');
    expect(text(resultOf('glob'))).toContain('/mnt/session/uploads/logs/api.log');
    expect(text(resultOf('grep'))).toContain('ERROR upstream timeout');
    expect(text(resultOf('grep'))).not.toContain(runtime.store.home);
    expect(resultOf('bash')?.is_error).toBe(true);
    expect(text(resultOf('bash'))).toMatch(/bash is not available: no shell runs/);
    expect(text(resultOf('write'))).toMatch(/write is not available: the mounted files under \/mnt\/session\/uploads are read-only/);
    expect(events.at(-1)).toMatchObject({ type: 'session.status_idle', stop_reason: { type: 'end_turn' } });
  });
});
