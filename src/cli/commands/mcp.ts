// `incident mcp`: the hands as a stdio MCP server for any MCP client (an editor, a
// desktop app, another agent). The client talks to a real environment worker, the same
// process a session gets: this command only checks its arguments, then starts the worker
// with the scrubbed environment (the environment's allow-list plus its declared
// credentials) and hands it stdin and stdout. The CLI's own environment, with whatever
// keys and tokens the shell holds, never reaches a tool, an action or an external MCP
// server, and no file this process could read is open to them; only the worker's
// notes (redacted) reach stderr.
import { spawn } from 'node:child_process';
import type { Command } from 'commander';
import { RuntimeFailure } from '../../errors.js';
import { bundleDirectory, loadEnvironment, workerConfigOf } from './tools.js';

interface McpOptions {
  bundle?: string;
  environment?: string;
}

async function serve(options: McpOptions): Promise<void> {
  const bundleRoot = await bundleDirectory(options.bundle);
  const environment = await loadEnvironment(options.environment);
  const [hands, { handsConfigFromEnvironment }] = await Promise.all([
    import('../../runtime/hands/index.js'),
    import('../../runtime/environment-hands.js'),
  ]);
  const config = handsConfigFromEnvironment(environment, bundleRoot);
  // The worker would refuse a bad configuration too, but only this process can say which file to fix.
  await workerConfigOf(config, options.environment);
  const workerScript = hands.defaultWorkerScript();
  if (workerScript === undefined) throw new RuntimeFailure('the environment worker is not built', { hint: 'run `npm run build`' });
  const env = hands.buildWorkerEnv(
    process.env,
    environment?.env.allow ?? hands.DEFAULT_ENV_ALLOW,
    (environment?.credentials ?? []).map((credential) => ({ name: credential.name, fromEnv: credential.from_env })),
  );
  const worker = spawn(process.execPath, [workerScript], {
    env: { ...env, [hands.HANDS_CONFIG_ENV]: JSON.stringify(config) },
    stdio: 'inherit',
  });
  // The worker ends when the client closes stdin; a signal meant for this command is passed on.
  let forwarded = false;
  const forward = (signal: NodeJS.Signals): void => {
    forwarded = true;
    worker.kill(signal);
  };
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const signal of signals) process.on(signal, forward);
  try {
    const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
      worker.once('error', (error) => reject(new RuntimeFailure(`the environment worker could not start: ${error.message}`)));
      worker.once('exit', (code, signal) => resolve({ code, signal }));
    });
    if (exit.signal !== null && !forwarded) throw new RuntimeFailure(`the environment worker was killed by ${exit.signal}`);
    if (exit.code !== null && exit.code !== 0) process.exitCode = exit.code;
  } finally {
    for (const signal of signals) process.off(signal, forward);
  }
}

export function registerMcp(program: Command): void {
  program
    .command('mcp')
    .description('serve the SRE tools (and an environment\'s actions) over MCP on stdio, for any MCP client')
    .requiredOption('--bundle <dir>', 'the incident bundle folder the tools read')
    .option('--environment <file>', 'an environment definition (actions, credentials, other MCP servers)')
    .action(async (options: McpOptions) => {
      await serve(options);
    });
}
