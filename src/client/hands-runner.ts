// The hands on the client: the SDK's SessionToolRunner answers a session's custom tool
// calls (and its approved actions) with the tools it is given, while the CLI follows the
// session as usual. Also what the hands need on this machine: the session's mounted files
// laid out as the runtime mounts them, and, before a runner takes over from a process that
// died, the settling of an action that process may have been running.
import type Anthropic from '@anthropic-ai/sdk';
import type { BetaRunnableTool } from '@anthropic-ai/sdk/lib/tools/BetaRunnableTool';
import type { DispatchedToolCall } from '@anthropic-ai/sdk/lib/tools/SessionToolRunner';
import { constants, createWriteStream } from 'node:fs';
import { copyFile, mkdir } from 'node:fs/promises';
import { dirname, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { SESSION_UPLOADS_ROOT } from '../protocol/agent-toolset.js';
import { ACTION_TOOL_PREFIX } from '../protocol/tools.js';
import { listHistory } from './follow.js';

export interface ClientHandsRun {
  /** Stops answering (a call under way is let finish) and closes the hands. */
  stop(): Promise<void>;
  /** Why the runner stopped on its own (the runtime refused it for good), if it did. */
  readonly failure: string | null;
}

export interface ClientHandsOptions {
  tools: BetaRunnableTool[];
  /** Told once when the runner stops on its own while the session still needs it. */
  onFailure?: (reason: string) => void;
  /** Told of each call the runner dispatched (after its result was posted, if one was). */
  onCall?: (call: DispatchedToolCall) => void;
  /** Aborting it stops answering, as `stop` does. */
  signal?: AbortSignal;
}

/**
 * Starts answering the session's calls. The runner reads the history first, so a call a
 * process that died left unanswered is answered now, once; it keeps going until `stop`.
 */
export function runClientHands(client: Anthropic, sessionId: string, options: ClientHandsOptions): ClientHandsRun {
  const controller = new AbortController();
  const signal = options.signal ? AbortSignal.any([controller.signal, options.signal]) : controller.signal;
  let failure: string | null = null;
  // The SDK logs through the client; its errors are the ones worth telling (the rest is retried).
  const quiet = client.withOptions({
    logLevel: 'error',
    logger: {
      error: (message: string, ...rest: unknown[]) => {
        failure ??= [message, ...rest.map((item) => (typeof item === 'object' && item !== null && 'error' in item ? String((item as { error: unknown }).error) : ''))].filter(Boolean).join(': ');
      },
      warn: () => undefined,
      info: () => undefined,
      debug: () => undefined,
    },
  });
  const runner = quiet.beta.sessions.events.toolRunner(sessionId, { tools: options.tools, maxIdleMs: 0, signal });
  const done = (async () => {
    for await (const call of runner) {
      // Each call is posted by the runner; the CLI shows it from the session's own events.
      options.onCall?.(call);
    }
    if (!signal.aborted) options.onFailure?.(failure ?? 'the runner stopped');
  })().catch((error: unknown) => {
    if (!signal.aborted) options.onFailure?.(error instanceof Error ? error.message : String(error));
  });
  return {
    async stop() {
      controller.abort();
      await done;
    },
    get failure() {
      return failure;
    },
  };
}

/**
 * An approved action the hands on this machine owe a result for, left by a process that
 * died: it may have run, or not. It is answered as not run again (as the runtime answers
 * one a restart interrupted), never run a second time unasked.
 */
export async function settleUnfinishedActions(client: Anthropic, sessionId: string): Promise<string[]> {
  const history = await listHistory(client, sessionId);
  const uses = new Map<string, string>();
  const allowed = new Set<string>();
  const answered = new Set<string>();
  for (const event of history) {
    if (event.type === 'agent.tool_use' && event.name.startsWith(ACTION_TOOL_PREFIX) && event.evaluated_permission === 'ask') uses.set(event.id, event.name);
    else if (event.type === 'user.tool_confirmation' && event.result === 'allow') allowed.add(event.tool_use_id);
    else if (event.type === 'user.tool_result' || event.type === 'agent.tool_result') answered.add(event.tool_use_id);
  }
  const unfinished = [...uses].filter(([id]) => allowed.has(id) && !answered.has(id));
  if (unfinished.length === 0) return [];
  const text = (name: string): string =>
    `not run again: the incident process running ${name} stopped before it reported; check its effect, then ask for it again if it is still needed`;
  try {
    await client.beta.sessions.events.send(sessionId, {
      events: unfinished.map(([id, name]) => ({ type: 'user.tool_result' as const, tool_use_id: id, is_error: true, content: [{ type: 'text' as const, text: text(name) }] })),
    });
  } catch (error) {
    // Someone else answered first (400): nothing is left to settle.
    if ((error as { status?: unknown }).status !== 400) throw error;
  }
  return unfinished.map(([, name]) => name);
}

/** Where a mount path of the session lives under `root` (never outside it). */
function placeOf(root: string, mountPath: string): string {
  const relative = mountPath.startsWith(`${SESSION_UPLOADS_ROOT}/`) ? mountPath.slice(SESSION_UPLOADS_ROOT.length + 1) : mountPath.replace(/^\/+/, '');
  const target = resolve(root, relative);
  if (!target.startsWith(`${resolve(root)}${sep}`)) throw new Error(`the mount path ${mountPath} leaves the session's folder`);
  return target;
}

/**
 * Lays the session's mounted files out under `root` as the runtime mounts them. A file
 * this machine already has (`local`, by mount path: the bundle it just uploaded) is
 * cloned copy-on-write where the file system allows; any other is downloaded from the
 * runtime, streamed to disk. One the runtime will not give back (Claude Managed Agents
 * lets no one download the files they uploaded) is taken from `fallback`, the bundle
 * folder the session was opened from, when this machine still has it.
 */
export async function layoutSessionFiles(
  client: Anthropic,
  sessionId: string,
  root: string,
  local: ReadonlyMap<string, string> = new Map(),
  fallback: ReadonlyMap<string, string> = new Map(),
): Promise<number> {
  let count = 0;
  for await (const resource of client.beta.sessions.resources.list(sessionId)) {
    if (resource.type !== 'file') continue;
    const target = placeOf(root, resource.mount_path);
    await mkdir(dirname(target), { recursive: true });
    const source = local.get(resource.mount_path);
    if (source !== undefined) {
      await copyFile(source, target, constants.COPYFILE_FICLONE);
    } else {
      try {
        const response = await client.beta.files.download(resource.file_id);
        if (!response.body) throw new Error(`the runtime sent no content for ${resource.mount_path}`);
        await pipeline(Readable.fromWeb(response.body as unknown as WebReadableStream<Uint8Array>), createWriteStream(target, { flags: 'wx', mode: 0o600 }));
      } catch (error) {
        const kept = fallback.get(resource.mount_path);
        const status = (error as { status?: unknown }).status;
        // Only a refusal is answered from the folder: a network failure is worth reporting as it is.
        if (kept === undefined || typeof status !== 'number' || status < 400 || status >= 500) throw error;
        await copyFile(kept, target, constants.COPYFILE_FICLONE);
      }
    }
    count += 1;
  }
  return count;
}

/**
 * The session's files as their mount paths, for files this machine has at hand. A runtime
 * may report a mount path as it was given (`/logs/api.log`) or as it lays it out
 * (`/mnt/session/uploads/logs/api.log`): both name the same file.
 */
export function localMounts(files: ReadonlyArray<{ absPath: string; relPath: string }>): Map<string, string> {
  return new Map(files.flatMap((file) => [[`${SESSION_UPLOADS_ROOT}/${file.relPath}`, file.absPath] as const, [`/${file.relPath}`, file.absPath] as const]));
}
