// A `--runtime URL` client whose server dies mid-session: it says so within the first
// failed try, keeps retrying, and when the server is back (same port, same state) it
// finishes the session showing every event exactly once.
import type { ChildProcess } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { SessionEventSchema } from '../../src/protocol/event-schema.js';
import { startServed, type Served } from '../runtime/served.js';
import { BIN, cliEnv, runCli, startCli, tempHome, userBundle } from './cli.js';

let served: Served | undefined;
let client: ChildProcess | undefined;
afterAll(async () => {
  client?.kill('SIGKILL');
  served?.child.kill('SIGKILL');
  await served?.exited;
});

function ids(ndjson: string): string[] {
  return ndjson
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => (SessionEventSchema.parse(JSON.parse(line)) as { id: string }).id);
}

/** Resolves once `check` holds for what the stream has printed; fails if it never does. */
function untilPrinted(stream: NodeJS.ReadableStream, check: (printed: string) => boolean, what: string, exited: Promise<unknown>): Promise<string> {
  return new Promise((resolve, reject) => {
    let printed = '';
    // A bound for a client that never says anything, so the test fails instead of hanging.
    const timer = setTimeout(() => reject(new Error(`the client never printed ${what}: ${printed}`)), 20_000);
    const onData = (chunk: Buffer): void => {
      printed += chunk.toString();
      if (!check(printed)) return;
      clearTimeout(timer);
      stream.off('data', onData);
      resolve(printed);
    };
    stream.on('data', onData);
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`the client ended before ${what}: ${printed}`));
    });
  });
}

describe('a remote client whose runtime goes away', () => {
  it('says the runtime is unreachable, retries, and finishes with every event once when it is back', async () => {
    const home = tempHome();
    const env = cliEnv(home);
    served = await startServed(process.execPath, [BIN, 'serve', '--port', '0'], env);
    const { url } = served;
    const port = new URL(url).port;

    const child = startCli(['diagnose', userBundle('checkout-cache-removed'), '--runtime', url, '--ndjson'], env);
    client = child;
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));

    // Kill the server hard as soon as the investigation is under way.
    const before = await untilPrinted(child.stdout as NodeJS.ReadableStream, (printed) => printed.includes('"agent.tool_result"'), 'a tool result', exited);
    served.child.kill('SIGKILL');
    await served.exited;
    expect(before).not.toContain('"end_turn"');

    // The client says so, on stderr, before waiting.
    await untilPrinted(child.stderr as NodeJS.ReadableStream, (printed) => printed.includes('runtime unreachable'), 'the unreachable notice', exited);

    // Back on the same port and the same state: the session continues where it was.
    served = await startServed(process.execPath, [BIN, 'serve', '--port', port], env);
    const code = await exited;
    expect(stderr).toMatch(/runtime unreachable \([^)]+\), retrying in [\d.]+s/);
    expect(stderr).toContain('runtime reachable again');
    expect(code).toBe(0);

    const shown = ids(stdout);
    expect(new Set(shown).size).toBe(shown.length);
    const listed = JSON.parse((await runCli(['sessions', 'list', '--json', '--runtime', url], env)).stdout) as Array<{ id: string }>;
    expect(listed).toHaveLength(1);
    const exported = await runCli(['sessions', 'export', listed[0]?.id ?? '', '--format', 'ndjson', '--runtime', url], env);
    expect(shown).toEqual(ids(exported.stdout));
  });
});
