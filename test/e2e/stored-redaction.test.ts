// What the local runtime keeps is redacted, whoever wrote it: a model endpoint's error that
// echoes the API key, a session title taken from an alert that carries a token, a user's
// message that quotes a declared credential. None of them may reach the event log (listed
// or streamed), an export, or a listing; each is replaced by a marker that says what it was.
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliEnv, runCli, tempHome, userBundle, type CliResult } from './cli.js';

/** Letters only, and no known token prefix: only exact-value redaction can catch it. */
const word = (): string => randomBytes(12).toString('hex').replace(/[0-9]/g, (digit) => 'ghijklmnop'[Number(digit)] ?? 'q');

/** What a person reads a session back with: the listing, its history, every event (NDJSON) and the report. */
async function readBack(id: string, env: NodeJS.ProcessEnv, home: string): Promise<Record<string, string>> {
  const report = join(home, `${id}.md`);
  const runs: Record<string, Promise<CliResult>> = {
    'sessions list --json': runCli(['sessions', 'list', '--json'], env),
    'sessions show': runCli(['sessions', 'show', id], env),
    'sessions export ndjson': runCli(['sessions', 'export', id, '--format', 'ndjson'], env),
    'sessions export markdown': runCli(['sessions', 'export', id, '--format', 'markdown', '-o', report], env),
  };
  const out: Record<string, string> = {};
  for (const [name, run] of Object.entries(runs)) {
    const result = await run;
    out[name] = result.stdout + result.stderr;
  }
  out['markdown report'] = await readFile(report, 'utf8');
  return out;
}

function expectAbsent(outputs: Record<string, string>, secret: string): void {
  for (const [name, text] of Object.entries(outputs)) expect(text.includes(secret), `${name} holds the secret`).toBe(false);
}

describe('a model endpoint whose error echoes the API key', () => {
  const apiKey = `canarykey${word()}`;
  let server: Server;
  let baseURL = '';

  beforeAll(async () => {
    // A misbehaving endpoint (or proxy): it refuses the request and repeats the key it was sent.
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        const sent = String(req.headers['x-api-key'] ?? req.headers.authorization ?? '').replace(/^Bearer /, '');
        res.writeHead(401, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ type: 'error', error: { type: 'authentication_error', message: `invalid api key: ${sent}` } }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    baseURL = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('stores and streams the error without the key', async () => {
    const home = tempHome();
    const env = cliEnv(home, { ANTHROPIC_API_KEY: apiKey, ANTHROPIC_BASE_URL: baseURL });
    const streamed = await runCli(['diagnose', userBundle('gateway-timeout-cut'), '--ndjson'], env);
    const events = streamed.stdout.trim().split('\n').map((line) => JSON.parse(line) as { type: string; session_id?: string; error?: { message: string } });
    const failure = events.find((event) => event.type === 'session.error');
    // The endpoint was reached and its refusal recorded, with the key replaced by a marker.
    expect(failure?.error?.message).toContain('invalid api key: [REDACTED:anthropic_api_key]');
    expect(streamed.stdout + streamed.stderr).not.toContain(apiKey);

    const listed = JSON.parse((await runCli(['sessions', 'list', '--json'], env)).stdout) as Array<{ id: string }>;
    const id = listed[0]?.id ?? '';
    expect(id).toMatch(/^sesn_/);
    expectAbsent(await readBack(id, env, home), apiKey);
  });
});

describe('a session titled with a token, and a message quoting a declared credential', () => {
  const token = `ghp_${randomBytes(18).toString('hex')}`;
  const credential = `canarycred${word()}`;
  const home = tempHome();
  const env = cliEnv(home, { INCIDENT_TEST_DEPLOY_TOKEN: credential });
  let stream: CliResult;
  let id = '';

  beforeAll(async () => {
    const bundle = userBundle('gateway-timeout-cut');
    const alert = await readFile(join(bundle, 'incident.yaml'), 'utf8');
    await writeFile(join(bundle, 'incident.yaml'), alert.replace(/^title: .*$/m, `title: "Homepage failing (reported with ${token})"`));
    const environment = join(home, 'environment.yaml');
    await writeFile(
      environment,
      [
        'name: redaction-test',
        'credentials:',
        '  - name: deploy_token',
        '    from_env: INCIDENT_TEST_DEPLOY_TOKEN',
        'actions:',
        '  - name: rollback',
        '    kind: rollback',
        '    description: Roll back a deployment (a harmless stand-in).',
        `    argv: [${JSON.stringify(process.execPath)}, "-e", "console.log('ok')"]`,
        '    credentials: [deploy_token]',
        '',
      ].join('\n'),
    );
    stream = await runCli(['diagnose', bundle, '--ndjson', '--environment', environment, '--message', `Investigate. The deploy token is ${credential} if you need it.`], env);
    id = (JSON.parse((await runCli(['sessions', 'list', '--json'], env)).stdout) as Array<{ id: string }>)[0]?.id ?? '';
  });

  it('streams neither, and marks where they were', () => {
    expect(id).toMatch(/^sesn_/);
    expect(stream.stdout).not.toContain(token);
    expect(stream.stdout).not.toContain(credential);
    const message = stream.stdout.split('\n').find((line) => line.includes('"user.message"')) ?? '';
    expect(message).toContain('The deploy token is [REDACTED:deploy_token] if you need it.');
  });

  it('keeps neither in the session record, its listing, its history or its exports', async () => {
    const outputs = await readBack(id, env, home);
    expectAbsent(outputs, token);
    expectAbsent(outputs, credential);
    const listed = JSON.parse(outputs['sessions list --json'] ?? '[]') as Array<{ id: string; title: string }>;
    expect(listed.find((session) => session.id === id)?.title).toBe('Homepage failing (reported with [REDACTED:github-token])');
  });
});
