// One external MCP server declared by the environment. The worker is its MCP client: it
// spawns the server (command, args, env; never the worker's credentials), lists its tools
// and proxies calls to them under `<server>__<tool>`. A server that dies is started again
// on the next call to one of its tools; one that cannot start is reported, not fatal.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult, Tool } from '@modelcontextprotocol/sdk/types.js';
import type { ServedTool } from '../served-tool.js';
import type { ToolResult } from '../tool.js';
import type { McpServerConfig } from '../worker-config.js';
import { externalToolName } from './names.js';

/** The host bounds every call by killing the worker; this only keeps the SDK's own 60 s default out of the way. */
const CALL_TIMEOUT_MS = 24 * 60 * 60 * 1000;

export interface ExternalOptions {
  /** The environment the server starts from (the worker's, without credentials); its declared env is laid over it. */
  baseEnv: Readonly<Record<string, string>>;
  startTimeoutMs: number;
  clientVersion: string;
  /** A line the server wrote to stderr, or a note about its lifecycle. */
  log(line: string): void;
  /** Its tool list changed (a server may announce new tools at any time). */
  onToolsChanged(): void;
}

type ContentItem = CallToolResult['content'][number];

/** One content item as text: images and audio are named, not inlined. */
function contentText(item: ContentItem): string {
  switch (item.type) {
    case 'text':
      return item.text;
    case 'image':
    case 'audio':
      return `[${item.type} ${item.mimeType}, ${item.data.length} base64 characters, not shown]`;
    case 'resource':
      return 'text' in item.resource && typeof item.resource.text === 'string' ? item.resource.text : `[resource ${item.resource.uri}]`;
    case 'resource_link':
      return `[resource link ${item.uri}${item.description ? `: ${item.description}` : ''}]`;
    default:
      return JSON.stringify(item);
  }
}

export function resultText(result: CallToolResult): string {
  const parts = result.content.map(contentText);
  if (parts.length === 0 && result.structuredContent !== undefined) parts.push(JSON.stringify(result.structuredContent));
  return parts.join('\n');
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export class ExternalServer {
  private client: Client | null = null;
  private connecting: Promise<Client> | null = null;
  private served: ServedTool[] = [];
  /** The server's tool name → the name it is served under, stable across list changes. */
  private readonly names = new Map<string, string>();
  private closed = false;

  constructor(
    readonly config: McpServerConfig,
    private readonly options: ExternalOptions,
    /** Names already taken by other tools of the worker. */
    private readonly taken: Set<string>,
  ) {}

  /** The server's tools as the worker serves them (empty until it has connected). */
  tools(): readonly ServedTool[] {
    return this.served;
  }

  /** Starts the server and lists its tools; rejects with a message saying why it could not. */
  start(): Promise<Client> {
    if (this.client !== null) return Promise.resolve(this.client);
    this.connecting ??= this.connect().finally(() => {
      this.connecting = null;
    });
    return this.connecting;
  }

  private async connect(): Promise<Client> {
    const { config, options } = this;
    const transport = new StdioClientTransport({
      command: config.command,
      args: config.args,
      env: { ...options.baseEnv, ...config.env },
      stderr: 'pipe',
    });
    transport.stderr?.on('data', (data: Buffer) => {
      for (const line of data.toString('utf8').split('\n')) if (line.trim() !== '') options.log(`[${config.name}] ${line}`);
    });
    const client = new Client(
      { name: 'incident-hands', version: options.clientVersion },
      {
        listChanged: {
          tools: {
            onChanged: (error, tools) => {
              if (error !== null || tools === null) return;
              this.adopt(tools);
              options.onToolsChanged();
            },
          },
        },
      },
    );
    client.onclose = () => {
      // Only a server that was up is news; one that failed to start is reported by start().
      if (this.client !== client) return;
      this.client = null;
      if (!this.closed) options.log(`[${config.name}] the MCP server exited; it restarts on the next call to one of its tools`);
    };
    // Errors also surface as failed requests; recording them here keeps them from being unhandled.
    client.onerror = (error) => options.log(`[${config.name}] ${error.message}`);
    try {
      await withTimeout(client.connect(transport), options.startTimeoutMs, `starting MCP server "${config.name}"`);
      const tools: Tool[] = [];
      let cursor: string | undefined;
      do {
        const page = await withTimeout(client.listTools(cursor === undefined ? {} : { cursor }), options.startTimeoutMs, `listing the tools of "${config.name}"`);
        tools.push(...page.tools);
        cursor = page.nextCursor;
      } while (cursor !== undefined);
      this.adopt(tools);
    } catch (error) {
      await client.close().catch(() => undefined);
      throw new Error(`MCP server "${config.name}" (${config.command}) could not start: ${(error as Error).message}`, { cause: error });
    }
    this.client = client;
    return client;
  }

  /** Replaces the served tools with the server's current list, keeping the names already given out. */
  private adopt(tools: readonly Tool[]): void {
    this.served = tools.map((tool) => {
      let name = this.names.get(tool.name);
      if (name === undefined) {
        name = externalToolName(this.config.name, tool.name, this.taken);
        this.names.set(tool.name, name);
      }
      return this.proxy(tool, name);
    });
  }

  private proxy(tool: Tool, name: string): ServedTool {
    const server = this.config.name;
    const description = `[from the MCP server "${server}"] ${tool.description ?? tool.title ?? tool.name}`;
    return {
      definition: {
        name,
        ...(tool.title === undefined ? {} : { title: tool.title }),
        description,
        inputSchema: tool.inputSchema,
        ...(tool.annotations === undefined ? {} : { annotations: tool.annotations }),
      },
      call: async (args, context): Promise<ToolResult> => {
        let client: Client;
        try {
          client = await this.start();
        } catch (error) {
          return { text: (error as Error).message, isError: true };
        }
        try {
          const result = (await client.callTool({ name: tool.name, arguments: args }, undefined, {
            signal: context.signal,
            timeout: CALL_TIMEOUT_MS,
            onprogress: (progress) => {
              if (progress.message !== undefined) context.output(`${progress.message}\n`);
            },
          })) as CallToolResult;
          return { text: resultText(result), isError: result.isError === true };
        } catch (error) {
          return { text: `the MCP server "${server}" failed on ${tool.name}: ${(error as Error).message}`, isError: true };
        }
      },
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    const client = this.client;
    this.client = null;
    await client?.close().catch(() => undefined);
  }
}
