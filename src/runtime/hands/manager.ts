// The host side of the hands: starts the environment worker on first use, calls its tools
// over MCP, and keeps the session safe from it. A call that outlives its timeout stops the
// worker's whole process group; a worker that dies mid-call turns into a tool error saying
// what happened; a worker left idle past its idle timeout is stopped to give its memory
// back; in every case the next call starts a fresh worker. Nothing here rejects for a tool
// failure: `call` always resolves to a result.
import { getCompileCacheDir } from 'node:module';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { CallToolResult, Tool } from '@modelcontextprotocol/sdk/types.js';
import type { ToolSpec } from '../../protocol/tools.js';
import { ACTION_TOOL_PREFIX } from '../../protocol/tools.js';
import { COMPILE_CACHE_ENV, DRY_RUN_META, HANDS_CONFIG_ENV, type HandsConfigJson } from './config.js';
import { ProcessTransport, type ProcessExit } from './process-transport.js';

/** Between SIGTERM and SIGKILL when a worker is stopped. */
const KILL_GRACE_MS = 1_000;
/** How much longer than an action's own timeout the host waits (the worker reports the timeout itself). */
const ACTION_SLACK_MS = 5_000;
/** The SDK's own request timeout is kept out of the way; the host's timer decides. */
const SDK_TIMEOUT_SLACK_MS = 60_000;

export interface HandsManagerOptions {
  /** The built worker entry (dist/hands-worker.js). */
  workerScript: string;
  config: HandsConfigJson;
  /** The already-scrubbed environment of the worker (see buildWorkerEnv). */
  env: Record<string, string>;
  callTimeoutMs: number;
  /**
   * How long a fresh worker may take to answer its handshake and list its tools; defaults to
   * callTimeoutMs. Starting Node.js and loading the worker on a loaded machine, and the
   * worker starting the MCP servers whose tools it lists, can take longer than a short call
   * is allowed to.
   */
  startTimeoutMs?: number;
  /** Live output of a running call (an action's stdout and stderr), already redacted by the worker. */
  onOutput?: (toolUseId: string, chunk: string) => void;
  /** The Node.js binary that runs the worker; defaults to the current one. */
  nodePath?: string;
  /**
   * Stop the worker after this long with no call running (it restarts on the next call).
   * Unset: it runs until `close`.
   */
  idleTimeoutMs?: number;
  /**
   * What the bundle root is called in texts that leave the host (results, errors): the
   * root is a host path under the state folder, which nobody outside needs to see.
   */
  shownRoot?: string;
}

export interface HandsCallOptions {
  toolUseId: string;
  signal?: AbortSignal;
  /** For actions: report the exact argv without running it. */
  dryRun?: boolean;
}

export interface HandsCallResult {
  text: string;
  isError: boolean;
}

export interface HandsManager {
  listTools(): Promise<ToolSpec[]>;
  call(name: string, input: Record<string, unknown>, options: HandsCallOptions): Promise<HandsCallResult>;
  /** Starts a worker now rather than on the first call (`worker.start: eager`). */
  warm(): Promise<void>;
  /** A worker process is running (or starting). */
  readonly started: boolean;
  /** Its process id, while there is one. */
  readonly pid: number | undefined;
  close(): Promise<void>;
}

interface Worker {
  client: Client;
  transport: ProcessTransport;
  /** Why the host stopped it, when it did. */
  stopReason: string | null;
}

function describeExit(exit: ProcessExit): string {
  if (exit.error !== undefined) return `could not start: ${exit.error}`;
  if (exit.signal !== null) return `was killed by ${exit.signal}`;
  return `exited with code ${exit.code ?? 'unknown'}`;
}

function formatMs(ms: number): string {
  return ms >= 1000 && ms % 1000 === 0 ? `${ms / 1000}s` : ms >= 1000 ? `${(ms / 1000).toFixed(1)}s` : `${ms}ms`;
}

function lastLines(text: string, max = 500): string {
  if (text === '') return '';
  const tail = text.length > max ? `…${text.slice(-max)}` : text;
  return ` Its last output: ${tail.replace(/\s*\n\s*/g, ' | ')}`;
}

function toSpec(tool: Tool): ToolSpec {
  return { name: tool.name, description: tool.description ?? '', input_schema: tool.inputSchema };
}

/** The host's compile cache, for the worker's start to reuse (nothing when the host has none). */
function compileCacheEnv(): Record<string, string> {
  const dir = getCompileCacheDir();
  return dir === undefined ? {} : { [COMPILE_CACHE_ENV]: dir };
}

function textOf(result: CallToolResult): string {
  return result.content.map((item) => (item.type === 'text' ? item.text : `[${item.type}]`)).join('\n');
}

export function createHandsManager(options: HandsManagerOptions): HandsManager {
  let current: Promise<Worker> | null = null;
  let live: Worker | null = null;
  let closed = false;
  /** Calls and listings under way: the idle timer runs only while there are none. */
  let inflight = 0;
  let idleTimer: NodeJS.Timeout | undefined;
  /** Idle workers on their way out: `close` waits for them too. */
  const retiring = new Set<Promise<void>>();

  const bundleRoot = options.config.bundleRoot;
  const startTimeoutMs = options.startTimeoutMs ?? options.callTimeoutMs;
  /** Listing tools is part of a start: the worker starts the MCP servers it lists. */
  const listTimeoutMs = Math.max(startTimeoutMs, options.callTimeoutMs);
  const shown = (text: string): string =>
    options.shownRoot === undefined || bundleRoot === '' ? text : text.split(bundleRoot).join(options.shownRoot);

  function enter(): void {
    inflight += 1;
    clearTimeout(idleTimer);
    idleTimer = undefined;
  }

  function leave(): void {
    inflight -= 1;
    if (inflight === 0) armIdleTimer();
  }

  function armIdleTimer(): void {
    if (options.idleTimeoutMs === undefined || closed || live === null) return;
    clearTimeout(idleTimer);
    idleTimer = setTimeout(stopIdle, options.idleTimeoutMs);
    // Waiting to stop an idle worker is no reason for the host process to stay up.
    idleTimer.unref();
  }

  function stopIdle(): void {
    idleTimer = undefined;
    const worker = live;
    if (worker === null || inflight > 0 || closed) return;
    // Detached synchronously: a call arriving from here on starts a fresh worker, never this one.
    live = null;
    current = null;
    worker.stopReason ??= 'it was idle';
    const retired = retire(worker).finally(() => retiring.delete(retired));
    retiring.add(retired);
  }

  async function retire(worker: Worker): Promise<void> {
    await worker.transport.close();
    await worker.client.close().catch(() => undefined);
  }

  const actionTimeouts = new Map<string, number>(
    (options.config.actions ?? []).map((action) => [`${ACTION_TOOL_PREFIX}${action.name}`, action.timeoutMs]),
  );
  const timeoutFor = (name: string): number => {
    const action = actionTimeouts.get(name);
    return action === undefined ? options.callTimeoutMs : Math.max(options.callTimeoutMs, action + ACTION_SLACK_MS);
  };

  async function spawnWorker(): Promise<Worker> {
    const transport = new ProcessTransport({
      command: options.nodePath ?? process.execPath,
      args: [options.workerScript],
      env: { ...options.env, ...compileCacheEnv(), [HANDS_CONFIG_ENV]: JSON.stringify(options.config) },
    });
    const client = new Client({ name: 'incident', version: '1' }, { capabilities: {} });
    const worker: Worker = { client, transport, stopReason: null };
    // Failures also reach the pending requests; recording them keeps them from being unhandled.
    client.onerror = () => undefined;
    client.onclose = () => {
      if (live !== worker) return;
      live = null;
      current = null;
    };
    let timer: NodeJS.Timeout | undefined;
    let hung = false;
    try {
      await Promise.race([
        client.connect(transport, { timeout: startTimeoutMs + SDK_TIMEOUT_SLACK_MS }),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => {
            hung = true;
            reject(new Error('start'));
          }, startTimeoutMs);
        }),
      ]);
    } catch (error) {
      const exit = hung ? null : transport.exit;
      await transport.kill(KILL_GRACE_MS);
      const why = hung
        ? `did not answer within ${formatMs(startTimeoutMs)} of starting and was stopped`
        : exit !== null
          ? describeExit(exit)
          : `failed to start: ${(error as Error).message}`;
      throw new Error(shown(`the environment worker ${why}.${lastLines(transport.stderr())}`), { cause: error });
    } finally {
      clearTimeout(timer);
    }
    live = worker;
    return worker;
  }

  function ensureWorker(): Promise<Worker> {
    if (closed) return Promise.reject(new Error('the environment worker was closed'));
    if (current === null) {
      const starting = spawnWorker();
      current = starting;
      starting.catch(() => {
        if (current === starting) current = null;
      });
    }
    return current;
  }

  /** Stops a worker for good; the next call starts another. */
  async function stop(worker: Worker, reason: string): Promise<void> {
    worker.stopReason ??= reason;
    if (live === worker) {
      live = null;
      current = null;
    }
    await worker.transport.kill(KILL_GRACE_MS);
  }

  async function call(name: string, input: Record<string, unknown>, callOptions: HandsCallOptions): Promise<HandsCallResult> {
    enter();
    try {
      const result = await callWorker(name, input, callOptions);
      return { ...result, text: shown(result.text) };
    } finally {
      leave();
    }
  }

  async function callWorker(name: string, input: Record<string, unknown>, callOptions: HandsCallOptions): Promise<HandsCallResult> {
    const { signal, toolUseId } = callOptions;
    if (signal?.aborted) return { text: `${name} was cancelled before it started`, isError: true };
    let worker: Worker;
    try {
      worker = await ensureWorker();
    } catch (error) {
      return { text: `${name} could not run: ${(error as Error).message}`, isError: true };
    }
    const timeoutMs = timeoutFor(name);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    let unsubscribe = (): void => undefined;
    const exited = new Promise<{ exit: ProcessExit }>((resolve) => {
      unsubscribe = worker.transport.onExit((exit) => resolve({ exit }));
    });
    const request = worker.client
      .callTool(
        { name, arguments: input, ...(callOptions.dryRun === true ? { _meta: { [DRY_RUN_META]: true } } : {}) },
        undefined,
        {
          signal,
          timeout: timeoutMs + SDK_TIMEOUT_SLACK_MS,
          onprogress: (progress) => {
            if (progress.message !== undefined && progress.message !== '') options.onOutput?.(toolUseId, shown(progress.message));
          },
        },
      )
      .then(
        (result) => ({ result: result as CallToolResult }),
        (error: unknown) => ({ error: error instanceof Error ? error : new Error(String(error)) }),
      );
    try {
      const outcome = await Promise.race([request, timedOut, exited]);
      if (outcome === 'timeout') {
        await stop(worker, `${name} ran past its timeout`);
        return {
          text: `${name} did not finish within ${formatMs(timeoutMs)}; the environment worker was stopped (with everything it started) and a fresh one starts on the next call`,
          isError: true,
        };
      }
      if ('result' in outcome) return { text: textOf(outcome.result), isError: outcome.result.isError === true };
      if (signal?.aborted) return { text: `${name} was cancelled`, isError: true };
      const exit = 'exit' in outcome ? outcome.exit : worker.transport.exit;
      if (worker.stopReason !== null) {
        return { text: `${name} was interrupted: the environment worker was stopped because ${worker.stopReason}; a fresh one starts on the next call`, isError: true };
      }
      if (exit !== null) {
        return {
          text: `the environment worker ${describeExit(exit)} during ${name}; a fresh one starts on the next call.${lastLines(worker.transport.stderr())}`,
          isError: true,
        };
      }
      return { text: `${name} failed in the environment worker: ${'error' in outcome ? outcome.error.message : 'unknown error'}`, isError: true };
    } finally {
      clearTimeout(timer);
      unsubscribe();
    }
  }

  return {
    async listTools() {
      enter();
      try {
        const worker = await ensureWorker();
        const tools: Tool[] = [];
        let cursor: string | undefined;
        try {
          do {
            const page = await worker.client.listTools(cursor === undefined ? {} : { cursor }, { timeout: listTimeoutMs });
            tools.push(...page.tools);
            cursor = page.nextCursor;
          } while (cursor !== undefined);
        } catch (error) {
          const exit = worker.transport.exit;
          if (exit === null) await stop(worker, 'it did not list its tools in time');
          const why = exit === null ? `did not list its tools within ${formatMs(listTimeoutMs)} and was stopped` : describeExit(exit);
          throw new Error(shown(`the environment worker ${why}.${lastLines(worker.transport.stderr())}`), { cause: error });
        }
        return tools.map(toSpec);
      } finally {
        leave();
      }
    },
    call,
    async warm() {
      enter();
      try {
        await ensureWorker();
      } finally {
        leave();
      }
    },
    get started() {
      return current !== null;
    },
    get pid() {
      return live?.transport.pid;
    },
    async close() {
      closed = true;
      clearTimeout(idleTimer);
      const pending = current;
      current = null;
      const worker = await pending?.catch(() => null);
      if (worker) {
        worker.stopReason ??= 'the session closed';
        await worker.transport.close();
        await worker.client.close().catch(() => undefined);
      }
      await Promise.all(retiring);
    },
  };
}
