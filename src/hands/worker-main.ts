// The environment worker: a child process that serves the hands over MCP on stdio. Its
// configuration comes from --config <file> or INCIDENT_HANDS_CONFIG; its environment is
// the scrubbed one the host gave it, with credential values under their declared names.
// It exits when its stdin closes (the host went away) or on SIGTERM, taking the actions
// it started with it. Everything it writes to stderr is redacted.
// First: how schemas parse is set before any module makes one.
import '../protocol/schema-mode.js';
import { stat } from 'node:fs/promises';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { killRunningActions } from './actions/run.js';
import { createRedactor } from '../protocol/redact.js';
import { createHandsServer, splitEnvironment, type HandsServer } from './server.js';
import { readMountMap, readWorkerConfig, WorkerConfigError, type WorkerConfig } from './worker-config.js';

/** How long a clean shutdown may take before the worker exits anyway. */
const SHUTDOWN_GRACE_MS = 3_000;

let redact = (text: string): string => text;

function note(line: string): void {
  process.stderr.write(`${redact(line)}\n`);
}

function die(message: string, code: number): never {
  note(`incident-hands: ${message}`);
  killRunningActions();
  process.exit(code);
}

process.on('uncaughtException', (error) => die(`internal error: ${error.stack ?? error.message}`, 1));
process.on('unhandledRejection', (reason) => die(`internal error: ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}`, 1));

async function main(): Promise<void> {
  let config: WorkerConfig;
  try {
    config = readWorkerConfig(process.argv.slice(2), process.env);
  } catch (error) {
    if (error instanceof WorkerConfigError) die(error.message, 2);
    throw error;
  }
  const env = { ...process.env };
  const { baseEnv, credentials } = splitEnvironment(config, env);
  // Nothing in this process reads credentials from process.env, and nothing it starts may
  // inherit them (or the configuration) by default: they are handed out explicitly.
  for (const key of Object.keys(process.env)) if (!(key in baseEnv)) delete process.env[key];
  redact = createRedactor([...credentials].map(([name, value]) => ({ name, value }))).redact;

  if (config.bundleMap !== undefined) {
    try {
      readMountMap(config.bundleMap);
    } catch (error) {
      if (error instanceof WorkerConfigError) die(error.message, 2);
      throw error;
    }
  } else {
    const root = await stat(config.bundleRoot).catch(() => null);
    if (root === null || !root.isDirectory()) die(`the bundle root ${config.bundleRoot} is not a directory`, 2);
  }

  const hands: HandsServer = createHandsServer({ config, env, log: note });
  let stopping = false;
  const shutdown = (code: number): void => {
    if (stopping) return;
    stopping = true;
    killRunningActions();
    setTimeout(() => process.exit(code), SHUTDOWN_GRACE_MS).unref();
    void hands.close().finally(() => process.exit(code));
  };
  process.stdin.on('end', () => shutdown(0));
  process.stdin.on('close', () => shutdown(0));
  process.on('SIGTERM', () => shutdown(0));
  process.on('SIGINT', () => shutdown(0));

  await hands.server.connect(new StdioServerTransport());
  void hands.start();
}

await main();
