// `incident mcp`: the hands as a stdio MCP server for any MCP client (an editor, a
// desktop app, another agent). It is the same server the environment worker runs, with
// the same scrubbed environment for what it starts and the same redaction of results.
// stdout carries the protocol only; notes go to stderr.
import type { Command } from 'commander';
import { bundleDirectory, loadEnvironment, workerConfigOf } from './tools.js';

interface McpOptions {
  bundle?: string;
  environment?: string;
}

async function serve(options: McpOptions): Promise<void> {
  const bundleRoot = await bundleDirectory(options.bundle);
  const environment = await loadEnvironment(options.environment);
  const [{ StdioServerTransport }, { createHandsServer }, { buildWorkerEnv, DEFAULT_ENV_ALLOW }] = await Promise.all([
    import('@modelcontextprotocol/sdk/server/stdio.js'),
    import('../../hands/server.js'),
    import('../../runtime/hands/index.js'),
  ]);
  const { handsConfigFromEnvironment } = await import('../../runtime/environment-hands.js');
  const config = await workerConfigOf(handsConfigFromEnvironment(environment, bundleRoot), options.environment);
  const env = buildWorkerEnv(
    process.env,
    environment?.env.allow ?? DEFAULT_ENV_ALLOW,
    (environment?.credentials ?? []).map((credential) => ({ name: credential.name, fromEnv: credential.from_env })),
  );
  const hands = createHandsServer({ config, env, log: (line) => process.stderr.write(`${line}\n`) });
  const transport = new StdioServerTransport();
  const closed = new Promise<void>((resolve) => {
    // The client going away (stdin closes) ends the server; so does Ctrl-C.
    const finish = (): void => resolve();
    process.stdin.once('end', finish);
    process.stdin.once('close', finish);
    process.once('SIGINT', finish);
    process.once('SIGTERM', finish);
  });
  await hands.server.connect(transport);
  void hands.start();
  await closed;
  await hands.close();
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
