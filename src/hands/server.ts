// The hands as an MCP server: the SRE tools over the mounted bundle, one tool per
// declared remediation action, and the tools of the environment's external MCP servers.
// Every result leaves through one exit here: redacted (token shapes and the declared
// credentials' values), then bounded to max_output_chars. A tool that throws becomes an
// isError result; only protocol faults are MCP errors. The same server runs in the
// worker process (stdio) and behind `incident mcp`.
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { CallToolRequestSchema, ListToolsRequestSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import packageJson from '../../package.json' with { type: 'json' };
import { openBundle, openMappedBundle, type Bundle } from '../bundle/index.js';
import { actionTool } from './actions/index.js';
import { agentToolsetTools } from './agent-toolset.js';
import { layOutMountFolder } from './mount-folder.js';
import { killRunningActions } from './actions/run.js';
import { ExternalServer } from './external/connection.js';
import { createRedactor, type Redactor } from '../protocol/redact.js';
import { capText, parseRecord, type Json } from './cap-text.js';
import { DRY_RUN_META, type CallContext, type ServedTool } from './served-tool.js';
import { structuredExit } from './structured-exit.js';
import type { ToolSpec } from '../protocol/tools.js';
import type { HandsTool, ToolContext, ToolResult } from './tool.js';
import { errorResult } from './tools/define.js';
import { outputSchemaOf, SRE_TOOLS, toolSpecs } from './tools/index.js';
import { openLiveBundle, type LiveBundle } from '../live/index.js';
import { COMPILE_CACHE_ENV, CONFIG_ENV, CONFIG_FILE_ENV, credentialEnvName, credentialKeys, readMountMap, type WorkerConfig } from './worker-config.js';

/** Streamed output past this many characters per call is dropped (the final result still has its head and tail). */
const MAX_STREAMED_CHARS = 256_000;

export interface HandsServerOptions {
  config: WorkerConfig;
  /** The worker's environment: allow-listed variables plus the declared credentials under their names. */
  env: Readonly<Record<string, string | undefined>>;
  /** Notes for whoever runs the server (stderr in the worker); always redacted first. */
  log(line: string): void;
}

export interface HandsServer {
  readonly server: Server;
  readonly redactor: Redactor;
  /** Starts the external MCP servers (once); each one that fails is logged and left out. */
  start(): Promise<void>;
  tools(): readonly ServedTool[];
  close(): Promise<void>;
}

/** Credential values by name, and the environment without them (for actions and external servers). */
export function splitEnvironment(
  config: WorkerConfig,
  env: Readonly<Record<string, string | undefined>>,
): { baseEnv: Record<string, string>; credentials: Map<string, string> } {
  const credentials = new Map<string, string>();
  const withheld = new Set<string>([CONFIG_ENV, CONFIG_FILE_ENV, COMPILE_CACHE_ENV]);
  for (const credential of config.credentials) {
    for (const key of credentialKeys(credential.name)) {
      withheld.add(key);
      const value = env[key];
      if (value !== undefined && value !== '' && !credentials.has(credential.name)) credentials.set(credential.name, value);
    }
  }
  const baseEnv: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) if (value !== undefined && !withheld.has(key)) baseEnv[key] = value;
  return { baseEnv, credentials };
}

type InputSchema = ServedTool['definition']['inputSchema'];
type OutputSchema = NonNullable<ServedTool['definition']['outputSchema']>;

/** Each string of a JSON value redacted; a value is also redacted with its key, as `key=value`, for secret-named keys. */
function redactTree(value: Json, redactor: Redactor): Json {
  if (typeof value === 'string') return redactor.redact(value);
  if (Array.isArray(value)) return value.map((item) => redactTree(item, redactor));
  if (value === null || typeof value !== 'object') return value;
  const out: { [key: string]: Json } = {};
  for (const [key, item] of Object.entries(value)) {
    const pair = typeof item === 'string' ? redactor.redact(`${key}=${item}`) : null;
    out[key] = pair !== null && pair !== `${key}=${item as string}` && pair.startsWith(`${key}=`) ? pair.slice(key.length + 1) : redactTree(item, redactor);
  }
  return out;
}

/**
 * A result redacted. Redacting JSON text can, rarely, take a quote with a secret (a URL's
 * password runs to the next `@`); a JSON result must stay JSON, so it is then redacted
 * value by value instead.
 */
function redactResult(text: string, redactor: Redactor): string {
  const redacted = redactor.redact(text);
  if (redacted === text) return text;
  const record = parseRecord(text);
  if (record === null || parseRecord(redacted) !== null) return redacted;
  return JSON.stringify(redactTree(record, redactor));
}

/** A tool spec's JSON schema in the MCP shape (whose property schemas are objects). */
function mcpInputSchema(spec: ToolSpec): InputSchema {
  const { properties, ...rest } = spec.input_schema;
  if (properties === undefined) return rest;
  const objects = Object.entries(properties).filter((entry): entry is [string, object] => typeof entry[1] === 'object' && entry[1] !== null);
  return { ...rest, properties: Object.fromEntries(objects) };
}

function sreTool(tool: HandsTool, inputSchemaFor: () => InputSchema, context: () => Promise<Omit<ToolContext, 'signal'>>): ServedTool {
  // The JSON schemas are made from the zod ones when a client first lists the tools, not as
  // the worker starts: a host that only calls tools never lists them (converting all ten
  // cost a worker's start about 50 ms of CPU).
  let inputSchema: InputSchema | undefined;
  let outputSchema: OutputSchema | undefined;
  return {
    definition: {
      name: tool.name,
      description: tool.description,
      get inputSchema(): InputSchema {
        return (inputSchema ??= inputSchemaFor());
      },
      get outputSchema(): OutputSchema {
        return (outputSchema ??= outputSchemaOf(tool) as OutputSchema);
      },
      annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    },
    outputSchema: tool.outputSchema,
    async call(args, call) {
      const parsed = tool.inputSchema.safeParse(args);
      if (!parsed.success) {
        return errorResult(`invalid arguments for ${tool.name}: ${z.prettifyError(parsed.error).replace(/\n+/g, '; ')}`, 'fix the arguments named above');
      }
      return tool.run(parsed.data, { ...(await context()), signal: call.signal });
    },
  };
}

export function createHandsServer(options: HandsServerOptions): HandsServer {
  const { config } = options;
  const { baseEnv, credentials } = splitEnvironment(config, options.env);
  const redactor = createRedactor([...credentials].map(([name, value]) => ({ name, value })));
  const log = (line: string): void => options.log(redactor.redact(line));

  // A mapped mount is its listed files and nothing else: there is no folder to read in.
  const roots = config.bundleMap === undefined ? [config.bundleRoot] : [];
  const openMount = (): Promise<Bundle> =>
    config.bundleMap === undefined
      ? openBundle(config.bundleRoot)
      : Promise.resolve(config.bundleMap).then((map) => openMappedBundle(readMountMap(map).files, config.bundleRoot));
  // Live sources: gathered once, on the first call that reads the bundle, and removed on close.
  let gathered: LiveBundle | null = null;
  const open = async (): Promise<Bundle> => {
    const mounted = await openMount();
    const live = config.live;
    if (live === undefined) return mounted;
    // Log commands and git run as actions do: the allow-listed variables and the credentials they are given.
    const env: Record<string, string> = { ...baseEnv };
    for (const name of live.credentials) {
      const value = credentials.get(name);
      if (value !== undefined) env[credentialEnvName(name)] = value;
    }
    gathered = await openLiveBundle({ config: live, mounted, env, root: config.bundleRoot, log });
    return gathered.bundle;
  };
  let bundle: Promise<Bundle> | null = null;
  const context = async (): Promise<Omit<ToolContext, 'signal'>> => {
    // Opened on first use, so listing tools (and the worker's start) never waits on a scan.
    if (bundle === null) {
      const opening = open();
      bundle = opening;
      // A bundle that could not be opened is tried again on the next call.
      opening.catch(() => {
        if (bundle === opening) bundle = null;
      });
    }
    // Tools fit their results to the bound as they will leave: redacted.
    return { bundle: await bundle, roots, limits: { maxOutputChars: config.maxOutputChars, sizeOf: (text) => redactResult(text, redactor).length } };
  };

  // Every tool's input schema, made (all at once, as toolSpecs makes them) on the first listing.
  let specs: Map<string, InputSchema> | undefined;
  const inputSchemaOf = (name: string): InputSchema => (specs ??= new Map(toolSpecs().map((spec) => [spec.name, mcpInputSchema(spec)]))).get(name) ?? { type: 'object' };
  const fixed: ServedTool[] = [
    ...SRE_TOOLS.map((tool) => sreTool(tool, () => inputSchemaOf(tool.name), context)),
    // For agents made with the API's built-in toolset: its read-only part, over the same root.
    ...agentToolsetTools(config.bundleMap === undefined ? config.bundleRoot : () => layOutMountFolder(config.bundleMap as string)),
    ...config.actions.map((action) =>
      actionTool(action, {
        baseEnv,
        credentials,
        credentialSources: new Map(config.credentials.flatMap((c) => (c.fromEnv === undefined ? [] : [[c.name, c.fromEnv] as const]))),
        maxOutputChars: config.maxOutputChars,
      }),
    ),
  ];
  const taken = new Set(fixed.map((tool) => tool.definition.name));
  const server = new Server(
    { name: 'incident-hands', version: packageJson.version },
    {
      capabilities: { tools: { listChanged: true }, logging: {} },
      instructions:
        'SRE tools over a mounted incident bundle (read-only), plus remediation actions (action_*) that change real systems and must only be called after a person approved them.',
    },
  );
  const externals = config.mcpServers.map(
    (serverConfig) =>
      new ExternalServer(serverConfig, {
        baseEnv,
        startTimeoutMs: config.serverStartTimeoutMs,
        clientVersion: packageJson.version,
        log,
        onToolsChanged: () => void server.sendToolListChanged().catch(() => undefined),
      }, taken),
  );
  const tools = (): ServedTool[] => [...fixed, ...externals.flatMap((external) => external.tools())];

  // External servers start in the background; a listing or a call to a name not known yet
  // waits for them, so the first tools/list already holds their tools.
  let started: Promise<void> | null = null;
  const start = (): Promise<void> => {
    started ??= Promise.allSettled(externals.map((external) => external.start())).then((results) => {
      for (const result of results) if (result.status === 'rejected') log(String((result.reason as Error).message));
    });
    return started;
  };

  server.setRequestHandler(ListToolsRequestSchema, async () => {
    await start();
    return { tools: tools().map((tool) => tool.definition) };
  });

  server.setRequestHandler(CallToolRequestSchema, async (request, extra): Promise<CallToolResult> => {
    const { name } = request.params;
    const finish = (text: string, isError: boolean): CallToolResult => ({
      content: [{ type: 'text', text: capText(redactResult(text, redactor), config.maxOutputChars) }],
      isError,
    });
    // A result with fields leaves with them (structuredContent), kept valid against the tool's output schema.
    const finishResult = (result: ToolResult, schema: ServedTool['outputSchema']): CallToolResult =>
      result.structured !== undefined && result.isError !== true && schema !== undefined
        ? structuredExit(result.text, { redact: (text) => redactResult(text, redactor), maxChars: config.maxOutputChars, schema })
        : finish(result.text, result.isError === true);
    let tool = fixed.find((candidate) => candidate.definition.name === name);
    if (tool === undefined) {
      await start();
      tool = tools().find((candidate) => candidate.definition.name === name);
    }
    if (tool === undefined) {
      return finish(`unknown tool "${name}"; the tools are: ${tools().map((t) => t.definition.name).join(', ')}`, true);
    }

    const progressToken = extra._meta?.progressToken;
    const stream = redactor.lines();
    let streamed = 0;
    let progress = 0;
    // Notifications go out in order, and all of them before the result: a progress
    // notification that arrived after its response would be dropped by the client.
    let sending: Promise<void> = Promise.resolve();
    const send = (text: string): void => {
      if (text === '' || streamed >= MAX_STREAMED_CHARS) return;
      streamed += text.length;
      if (streamed >= MAX_STREAMED_CHARS) text += '\n[live output stops here; the result has the head and the tail]\n';
      progress += 1;
      const notification =
        progressToken === undefined
          ? { method: 'notifications/message' as const, params: { level: 'info' as const, logger: name, data: text } }
          : { method: 'notifications/progress' as const, params: { progressToken, progress, message: text } };
      sending = sending.then(() => extra.sendNotification(notification)).catch(() => undefined);
    };
    const call: CallContext = {
      signal: extra.signal,
      dryRun: request.params._meta?.[DRY_RUN_META] === true,
      output: (chunk) => send(stream.push(chunk)),
    };
    try {
      const result = await tool.call(request.params.arguments ?? {}, call);
      return finishResult(result, tool.outputSchema);
    } catch (error) {
      return finish(`${name} failed: ${error instanceof Error ? error.message : String(error)}`, true);
    } finally {
      send(stream.flush());
      await sending;
    }
  });

  return {
    server,
    redactor,
    tools,
    start,
    async close() {
      killRunningActions();
      await Promise.all(externals.map((external) => external.close()));
      await server.close().catch(() => undefined);
      await gathered?.close();
    },
  };
}
