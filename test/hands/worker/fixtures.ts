// Shared by the worker and host-manager tests: a small bundle on disk, configurations
// with test actions, and the external MCP server (a real package from the registry).
import { mkdtemp, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

export const REPO = path.resolve(import.meta.dirname, '../../..');
export const WORKER = path.join(REPO, 'dist', 'hands-worker.js');
export const CANARY = 'sk-ant-canary-1234567890abcdef';
export const DEPLOY_TOKEN = 'deploy-token-value-0123456789';
/** Names a process can see its own environment with, without a shell. */
export const NODE = process.execPath;

const require = createRequire(import.meta.url);
/** The stdio entry of @modelcontextprotocol/server-everything. */
export const EVERYTHING = require.resolve('@modelcontextprotocol/server-everything/dist/index.js');

const ALERT_AT = '2026-11-20T14:00:00Z';

/** A bundle small enough to read at a glance, with one of each kind of file. */
export async function makeBundle(): Promise<string> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'incident-hands-bundle-'));
  const files: Record<string, string> = {
    'incident.yaml': `title: checkout p99 latency high\nservice: checkout\nseverity: SEV2\nstarted_at: ${ALERT_AT}\n`,
    'metrics/checkout_p99.json': JSON.stringify({
      status: 'success',
      data: {
        resultType: 'matrix',
        result: [
          {
            metric: { __name__: 'http_request_duration_p99_seconds', service: 'checkout' },
            values: Array.from({ length: 40 }, (_, i) => [Date.parse('2026-11-20T13:30:00Z') / 1000 + i * 60, i < 25 ? '0.2' : '1.9']),
          },
        ],
      },
    }),
    'changes.yaml':
      'changes:\n' +
      '  - id: deploy-4821\n    service: checkout\n    type: deploy\n    at: 2026-11-20T13:54:00Z\n    summary: cache client timeout change\n' +
      '  - id: cfg-77\n    service: search\n    type: config\n    at: 2026-11-20T12:00:00Z\n',
    'diffs/deploy-4821.patch':
      'From abc Mon Sep 17 00:00:00 2001\nSubject: [PATCH] lower cache timeout\n\n' +
      'diff --git a/src/cache/client.go b/src/cache/client.go\n--- a/src/cache/client.go\n+++ b/src/cache/client.go\n' +
      '@@ -118,3 +118,3 @@ func New() {\n \tc := &Client{}\n-\tc.timeout = 500 * time.Millisecond\n+\tc.timeout = 5 * time.Millisecond\n \treturn c\n',
    'logs/checkout.log': Array.from({ length: 30 }, (_, i) => {
      const t = new Date(Date.parse('2026-11-20T13:50:00Z') + i * 30_000).toISOString();
      return i < 10 ? `${t} INFO request served in 12ms` : `${t} ERROR cache timeout after 5ms key=user:${i}`;
    }).join('\n') + '\n',
    'runbooks/checkout.md': '# Checkout\n\nRoll back the last deploy when p99 latency is high.\n',
  };
  for (const [rel, content] of Object.entries(files)) {
    const file = path.join(root, rel);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, content);
  }
  return root;
}

/** A node one-liner as an action argv (no shell: the script is one argv element). */
export function nodeArgv(script: string): string[] {
  return [NODE, '-e', script];
}

export interface TestConfigOptions {
  bundleRoot: string;
  maxOutputChars?: number;
  withEverything?: boolean;
}

/** A worker configuration with test actions and, optionally, the external "everything" server. */
export function testConfig(options: TestConfigOptions) {
  return {
    bundleRoot: options.bundleRoot,
    maxOutputChars: options.maxOutputChars ?? 16_000,
    credentials: [{ name: 'deploy_token', fromEnv: 'INCIDENT_DEPLOY_TOKEN' }],
    actions: [
      {
        name: 'print_env',
        kind: 'other',
        description: 'Prints the environment the action runs in.',
        argv: nodeArgv('process.stdout.write(JSON.stringify(process.env))'),
        timeoutMs: 20_000,
        credentials: ['deploy_token'],
      },
      {
        name: 'rollback',
        kind: 'rollback',
        description: 'Roll back a deployment.',
        argv: [NODE, '-e', 'console.log(JSON.stringify(process.argv.slice(1)))', '--', 'deployment/{service}', '--namespace', '{namespace}', '{change_id}'],
        parameters: {
          service: { type: 'string' as const, pattern: '^[a-z0-9][a-z0-9-]*$', description: 'service to roll back' },
          namespace: { type: 'string' as const, default: 'production' },
          change_id: { type: 'string' as const, required: false },
        },
        timeoutMs: 20_000,
        credentials: ['deploy_token'],
      },
      {
        name: 'stream',
        kind: 'other',
        description: 'Prints numbered lines, one every few milliseconds, then the deploy token.',
        argv: nodeArgv(
          'let i=0;const t=setInterval(()=>{console.log("line "+(++i));if(i===5){clearInterval(t);console.log("token "+process.env.DEPLOY_TOKEN)}},20)',
        ),
        timeoutMs: 20_000,
        credentials: ['deploy_token'],
      },
      {
        name: 'hang',
        kind: 'other',
        description: 'Starts a grandchild, prints its pid, and never ends.',
        argv: nodeArgv(
          'const c=require("child_process").spawn(process.execPath,["-e","setInterval(()=>{},1000)"],{stdio:"ignore"});console.log("grandchild "+c.pid);setInterval(()=>{},1000)',
        ),
        timeoutMs: 1_500,
      },
      {
        name: 'flood',
        kind: 'other',
        description: 'Prints far more than a result may hold.',
        argv: nodeArgv('for(let i=0;i<2000;i++)console.log("row "+i+" "+"x".repeat(40))'),
        timeoutMs: 20_000,
      },
      {
        name: 'missing_command',
        kind: 'other',
        description: 'Runs a command that does not exist.',
        argv: ['incident-no-such-command-xyz'],
        timeoutMs: 5_000,
      },
    ],
    mcpServers: options.withEverything ? [{ name: 'everything', command: NODE, args: [EVERYTHING, 'stdio'], env: {} }] : [],
  };
}

/** The pids of a process's direct children (Linux /proc). */
export async function childPids(pid: number): Promise<number[]> {
  const entries = await readdir('/proc').catch(() => [] as string[]);
  const children: number[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    // The parent pid is the second field after the parenthesised command name.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(fields[1]) === pid) children.push(Number(entry));
  }
  return children;
}

/** The environment of a running process (Linux /proc), or null when it cannot be read. */
export async function processEnv(pid: number): Promise<Record<string, string> | null> {
  const raw = await readFile(`/proc/${pid}/environ`, 'utf8').catch(() => null);
  if (raw === null) return null;
  return Object.fromEntries(
    raw
      .split('\0')
      .filter((entry) => entry.includes('='))
      .map((entry) => [entry.slice(0, entry.indexOf('=')), entry.slice(entry.indexOf('=') + 1)]),
  );
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Waits until `check` holds, polling on the event loop (used for process exit, which has no event to await from here). */
export async function eventually(check: () => boolean | Promise<boolean>, attempts = 200): Promise<boolean> {
  for (let i = 0; i < attempts; i++) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return false;
}
