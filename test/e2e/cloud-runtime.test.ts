// `--runtime cloud` end to end. Claude Managed Agents cannot be reached from here, so an
// `incident serve` started by this test stands in for the API: ANTHROPIC_BASE_URL points at
// it (through a proxy that counts what is sent) and ANTHROPIC_API_KEY is its key. Its
// environment, like a cloud one, runs none of the SRE tools, so the session emits
// agent.custom_tool_use and the CLI answers on this machine. The bundle's files go up
// once: a second diagnosis of the same bundle sends none, and a file deleted on the
// runtime is sent again.
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientVerdictTools } from '../../src/cli/client-verdict.js';
import { RUNTIME_TOOL_NAMES, SRE_TOOL_NAMES } from '../../src/protocol/tools.js';
import { runCli, startCli, tempHome, userBundle } from './cli.js';
import { answersPerCall, cloudUserEnv, loggedEvents, eventually, freezeAtFirstMessage, history, pendingCustomCalls, recordingProxy, startServe, type LoggedEvent, type Recorder, type Serve } from './hands-helpers.js';

const home = tempHome();
const configHome = join(home, 'config');
const environmentFile = join(home, 'cloud.yaml');
const HANDS_TOOLS = SRE_TOOL_NAMES.filter((name) => !(RUNTIME_TOOL_NAMES as readonly string[]).includes(name));
const bundle = userBundle('gateway-timeout-cut');

let serve: Serve;
let proxy: Recorder;

beforeAll(async () => {
  // A cloud environment runs none of the agent's custom tools: neither does this one.
  writeFileSync(environmentFile, 'name: cloud\nhands: client\n');
  serve = await startServe(tempHome(), [environmentFile]);
  // As the cloud does, nobody may download the files they uploaded.
  proxy = await recordingProxy(serve.url, (request) =>
    request.method === 'GET' && /^\/v1\/files\/[^/]+\/content/.test(request.url) ? { status: 400, message: 'this file cannot be downloaded' } : null,
  );
});
afterAll(async () => {
  await proxy.close();
  await serve.stop();
});

/** A user of the cloud, with this suite's config folder. */
function cloudEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return cloudUserEnv(home, serve.key, proxy.url, { XDG_CONFIG_HOME: configHome, ...extra });
}

function filesIn(dir: string): number {
  return readdirSync(dir).reduce((count, name) => count + (statSync(join(dir, name)).isDirectory() ? filesIn(join(dir, name)) : 1), 0);
}

/** Uploads the CLI sent since `from` (index into the proxy's log). */
function uploadsSince(from: number): number {
  return proxy.requests.slice(from).filter((request) => request.method === 'POST' && request.url.split('?')[0] === '/v1/files').length;
}

async function diagnose(): Promise<{ events: LoggedEvent[]; uploads: number; code: number | null; stderr: string }> {
  const from = proxy.requests.length;
  const run = await runCli(['diagnose', bundle, '--runtime', 'cloud', '--environment', environmentFile, '--ndjson'], cloudEnv());
  return { events: loggedEvents(run.stdout), uploads: uploadsSince(from), code: run.code, stderr: run.stderr };
}

function recordedUploads(): Record<string, { file_id: string }> {
  const record = JSON.parse(readFileSync(join(home, 'cloud-uploads.json'), 'utf8')) as { runtimes: Record<string, Record<string, { file_id: string }>> };
  return Object.values(record.runtimes)[0] ?? {};
}

describe('--runtime cloud', () => {
  const sessions: string[] = [];

  it('diagnoses a bundle with the SRE tools answered on the client, and uploads each file once', async () => {
    const first = await diagnose();
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const custom = first.events.filter((event) => event.type === 'agent.custom_tool_use');
    expect(custom.length).toBeGreaterThan(5);
    expect(new Set(custom.map((event) => event.name))).toContain('describe_bundle');
    // The stand-in ran none of the SRE tools itself: every one was answered by the CLI.
    expect(first.events.filter((event) => event.type === 'agent.tool_use' && HANDS_TOOLS.includes(event.name as never))).toEqual([]);
    expect(first.events.filter((event) => event.type === 'user.custom_tool_result')).toHaveLength(custom.length);
    expect([...answersPerCall(first.events).values()].every((count) => count === 1)).toBe(true);
    const diagnosis = first.events.find((event) => event.type === 'agent.tool_result' && (event.content ?? []).some((block) => (block.text ?? '').includes('"accepted":true')));
    expect(diagnosis).toBeDefined();
    expect(first.events.at(-1)).toMatchObject({ type: 'session.status_idle', stop_reason: { type: 'end_turn' } });
    expect(first.uploads).toBe(filesIn(bundle));
    expect(Object.keys(recordedUploads())).toHaveLength(filesIn(bundle));
    sessions.push(String((await serve.client.beta.sessions.list({ limit: 1, order: 'desc' })).data[0]?.id));

    // The same bundle again: every file is already on the runtime, and is mounted from there.
    const second = await diagnose();
    expect(second.code).toBe(0);
    expect(second.uploads).toBe(0);
    const [latest] = (await serve.client.beta.sessions.list({ limit: 1, order: 'desc' })).data;
    expect(latest?.resources).toHaveLength(filesIn(bundle));
    expect(latest?.resources.map((resource) => resource.mount_path)).toContain('/mnt/session/uploads/logs/api-gateway.log');
    sessions.push(String(latest?.id));
  });

  it('uploads again a file the runtime no longer has', async () => {
    const [gone] = Object.values(recordedUploads());
    await serve.client.beta.files.delete(gone?.file_id ?? '');
    const third = await diagnose();
    expect(third.code).toBe(0);
    expect(third.uploads).toBe(1);
    expect(Object.values(recordedUploads()).map((upload) => upload.file_id)).not.toContain(gone?.file_id);
  });

  it('lists, shows and resumes the sessions of the cloud', async () => {
    const listed = await runCli(['sessions', 'list', '--runtime', 'cloud', '--json'], cloudEnv());
    expect(listed.stderr).toBe('');
    expect(listed.code).toBe(0);
    const rows = JSON.parse(listed.stdout) as Array<{ id: string; outcome: string }>;
    for (const id of sessions) expect(rows.find((row) => row.id === id)?.outcome).toBe('diagnosed');

    const shown = await runCli(['sessions', 'show', sessions[0] ?? '', '--runtime', 'cloud', '--json'], cloudEnv());
    expect(shown.stderr).toBe('');
    expect(shown.code).toBe(0);
    expect(JSON.parse(shown.stdout)).toMatchObject({ session_id: sessions[0], outcome: 'diagnosed' });

    const resumed = await runCli(['resume', sessions[0] ?? '', '--runtime', 'cloud', '--json'], cloudEnv());
    expect(resumed.stderr).toBe('');
    expect(resumed.code).toBe(0);
  });

  it('killed (kill -9) with a call pending, resume answers it from the bundle folder the cloud will not give back', async () => {
    const child = startCli(['diagnose', bundle, '--runtime', 'cloud', '--environment', environmentFile, '--ndjson'], cloudEnv());
    // Frozen as soon as the investigation starts: the calls that follow stay unanswered.
    const { exited } = await freezeAtFirstMessage(child);
    const [latest] = (await serve.client.beta.sessions.list({ limit: 1, order: 'desc' })).data;
    const sessionId = latest?.id ?? '';
    const pending = await eventually(() => pendingCustomCalls(serve.client, sessionId));
    child.kill('SIGKILL');
    await exited;

    const from = proxy.requests.length;
    const resumed = await runCli(['resume', sessionId, '--runtime', 'cloud', '--ndjson'], cloudEnv());
    expect(resumed.stderr).toBe('');
    // It asked for the files first, and was refused.
    expect(proxy.requests.slice(from).some((request) => /^\/v1\/files\/[^/]+\/content/.test(request.url))).toBe(true);
    const events = await history(serve.client, sessionId);
    const answers = answersPerCall(events);
    for (const id of pending) expect(answers.get(id)).toBe(1);
    expect([...answers.values()].every((count) => count === 1)).toBe(true);
    const failed = events.filter((event) => event.type === 'user.custom_tool_result' && event.is_error === true);
    expect(failed.map((event) => (event.content ?? []).map((block) => block.text).join(''))).toEqual([]);
    expect(events.at(-1)).toMatchObject({ type: 'session.status_idle', stop_reason: { type: 'end_turn' } });
  });

  it('takes the runtime from INCIDENT_RUNTIME or the config file, the command line first', async () => {
    mkdirSync(join(configHome, 'incident'), { recursive: true });
    writeFileSync(join(configHome, 'incident', 'config.yaml'), 'runtime: cloud\n');
    try {
      const configured = await runCli(['sessions', 'list', '--json'], cloudEnv());
      expect(configured.code).toBe(0);
      expect((JSON.parse(configured.stdout) as Array<{ id: string }>).map((row) => row.id)).toEqual(expect.arrayContaining(sessions));
      // The command line wins over the file: the embedded runtime of this home has no sessions.
      const local = await runCli(['sessions', 'list', '--runtime', 'local', '--json'], cloudEnv());
      expect(JSON.parse(local.stdout)).toEqual([]);
    } finally {
      writeFileSync(join(configHome, 'incident', 'config.yaml'), '');
    }
    const fromEnv = await runCli(['sessions', 'list', '--json'], cloudEnv({ INCIDENT_RUNTIME: 'cloud' }));
    expect((JSON.parse(fromEnv.stdout) as Array<{ id: string }>).map((row) => row.id)).toEqual(expect.arrayContaining(sessions));
  });

  it('answers submit_diagnosis on the client with the verifier, over the history the runtime keeps', async () => {
    // The cloud runs no verifier: its submit_diagnosis is a custom tool the client answers.
    const events = await history(serve.client, sessions[0] ?? '');
    const submitted = events.find((event) => event.type === 'agent.tool_use' && event.name === 'submit_diagnosis') as (LoggedEvent & { input: Record<string, unknown> }) | undefined;
    expect(submitted).toBeDefined();
    const tools = clientVerdictTools(serve.client, sessions[0] ?? '');
    const submit = tools.find((tool) => tool.name === 'submit_diagnosis');
    const accepted = await submit?.run(submitted?.input ?? {});
    expect(String(accepted)).toContain('"accepted":true');
    // A claim the tools never showed is refused, as the runtime's own verifier refuses it.
    const root = submitted?.input['root_cause'] as Record<string, unknown>;
    await expect(submit?.run({ ...submitted?.input, root_cause: { ...root, change_id: 'deploy-that-never-happened' } })).rejects.toThrow(/diagnosis rejected/);
    await tools[0]?.close?.();
  });

  it('without ANTHROPIC_API_KEY, says so in one line and exits 2', async () => {
    const env = cloudEnv();
    delete env['ANTHROPIC_API_KEY'];
    for (const args of [
      ['diagnose', bundle, '--runtime', 'cloud'],
      ['sessions', 'list', '--runtime', 'cloud'],
    ]) {
      const run = await runCli(args, env);
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
      expect(run.stderr).toContain('ANTHROPIC_API_KEY');
    }
    const fromEnv = await runCli(['sessions', 'list'], { ...env, INCIDENT_RUNTIME: 'cloud' });
    expect(fromEnv.code).toBe(2);
    expect(fromEnv.stderr).toContain('set ANTHROPIC_API_KEY');
  });
});
