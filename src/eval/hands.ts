// Hands served in process: the environment worker's own MCP server (the SRE tools, the
// environment's actions) connected to an MCP client over an in-memory transport pair,
// behind the runtime's `Hands` interface. The runtime drives them exactly as it drives a
// worker process: same server, same results (redacted, bounded), same calls, only without
// spawning a process per session, so an evaluation over many bundles stays fast.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { createHandsServer, type HandsServer } from '../hands/server.js';
import { WorkerConfigSchema } from '../hands/worker-config.js';
import type { Hands, SessionSetup, ToolOutcome } from '../runtime/deps.js';
import { actionToolSpec, FALLBACK_ENVIRONMENT, handsConfigFromEnvironment } from '../runtime/environment-hands.js';
import { buildWorkerEnv, sharedStart } from '../runtime/hands/index.js';
import { UPLOADS_ROOT } from '../runtime/mounts.js';

interface Connected {
  client: Client;
  server: HandsServer;
  /** The host folder the session's files were laid out in. */
  root: string;
}

function textOf(result: CallToolResult): string {
  return result.content.map((item) => (item.type === 'text' ? item.text : `[${item.type}]`)).join('\n');
}

/**
 * The hands of one session. Nothing starts before the first call; the server sees the
 * session's mounted files, and what it says about their folder names the mount root
 * (`/mnt/session/uploads`), as a worker's results do.
 */
export function inProcessHands(setup: SessionSetup, parentEnv: Readonly<Record<string, string | undefined>> = process.env): Hands {
  const definition = setup.environment ?? FALLBACK_ENVIRONMENT;
  const actionSpecs = definition.actions.map(actionToolSpec);
  let closed = false;

  const connect = async (): Promise<Connected> => {
    const mounted = await setup.ensureMounted();
    if (closed) throw new Error('the session closed');
    // A mapped mount is read in place and already named under the uploads root.
    const root = typeof mounted === 'string' ? mounted : UPLOADS_ROOT;
    const config = WorkerConfigSchema.parse(
      typeof mounted === 'string' ? handsConfigFromEnvironment(definition, mounted) : handsConfigFromEnvironment(definition, UPLOADS_ROOT, mounted.map),
    );
    const env = buildWorkerEnv(
      parentEnv,
      definition.env.allow,
      definition.credentials.map((credential) => ({ name: credential.name, fromEnv: credential.from_env })),
    );
    const server = createHandsServer({ config, env, log: () => undefined });
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await server.server.connect(serverSide);
    const client = new Client({ name: 'incident-eval', version: '1' }, { capabilities: {} });
    await client.connect(clientSide);
    return { client, server, root };
  };
  // One connection per session; a start that failed is tried again by the next call.
  const shared = sharedStart(connect);
  const start = (): Promise<Connected> => shared.start();

  return {
    async call(name, input, { toolUseId, signal }): Promise<ToolOutcome> {
      let hands: Connected;
      try {
        hands = await start();
      } catch (error) {
        return { text: `${name} could not run: ${error instanceof Error ? error.message : String(error)}`, isError: true };
      }
      const shown = (text: string): string => text.split(hands.root).join(UPLOADS_ROOT);
      const result = (await hands.client.callTool({ name, arguments: input }, undefined, {
        signal,
        onprogress: (progress) => {
          if (progress.message !== undefined && progress.message !== '') setup.onToolOutput(toolUseId, shown(progress.message));
        },
      })) as CallToolResult;
      return { text: shown(textOf(result)), isError: result.isError === true };
    },
    extraTools: () => actionSpecs,
    async close() {
      closed = true;
      const hands = await shared.current()?.catch(() => undefined);
      await hands?.client.close();
      await hands?.server.close();
    },
  };
}
