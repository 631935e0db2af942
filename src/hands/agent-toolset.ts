// read, glob and grep of the Managed Agents toolset (agent_toolset_20260401), served by
// the hands over the mount root, read-only: the SDK's own implementations, confined to
// the root (symbolic links that leave it are refused). A path may be given as the
// session sees it (/mnt/session/uploads/logs/api.log) or relative to the root.
//
// The SDK's implementations load on the first call: they pull in the whole SDK, which every
// worker would otherwise load at start-up for tools most sessions never call.
import type { BetaRunnableTool } from '@anthropic-ai/sdk/lib/tools/BetaRunnableTool';
import type { ToolError } from '@anthropic-ai/sdk/lib/tools/ToolError';
import type * as SdkToolset from '@anthropic-ai/sdk/tools/agent-toolset/node';
import { SESSION_UPLOADS_ROOT, toolsetSpec, type ToolsetToolName } from '../protocol/agent-toolset.js';
import type { ServedTool } from './served-tool.js';

type ToolsetName = 'read' | 'glob' | 'grep';

/** The fields of each tool that name a path. */
const PATH_FIELDS: Record<ToolsetName, string> = { read: 'file_path', glob: 'path', grep: 'path' };

/** A path as the session names it, on this host. */
function onHost(value: unknown, root: string): unknown {
  if (typeof value !== 'string') return value;
  if (value === SESSION_UPLOADS_ROOT) return root;
  if (value.startsWith(`${SESSION_UPLOADS_ROOT}/`)) return `${root}${value.slice(SESSION_UPLOADS_ROOT.length)}`;
  return value;
}

function textOf(content: Awaited<ReturnType<BetaRunnableTool['run']>>): string {
  if (typeof content === 'string') return content;
  return content.map((block) => (block.type === 'text' ? block.text : `[${block.type}]`)).join('\n');
}

interface ToolsetModules {
  tools: typeof SdkToolset;
  ToolError: typeof ToolError;
}

/** The SDK's modules once a call has loaded them. */
let loaded: ToolsetModules | undefined;

async function toolsetModules(): Promise<ToolsetModules> {
  if (loaded === undefined) {
    const [tools, errors] = await Promise.all([import('@anthropic-ai/sdk/tools/agent-toolset/node'), import('@anthropic-ai/sdk/lib/tools/ToolError')]);
    loaded = { tools, ToolError: errors.ToolError };
  }
  return loaded;
}

/** The SDK's implementation of a toolset tool over a folder. */
async function sdkTool(name: ToolsetName, workdir: string): Promise<BetaRunnableTool> {
  const { tools } = await toolsetModules();
  const make = { read: tools.betaReadTool, glob: tools.betaGlobTool, grep: tools.betaGrepTool }[name];
  return make({ workdir });
}

/** A failure the SDK's tool reports as its answer; none can be one before the SDK is loaded. */
function isToolError(error: unknown): error is Error {
  return loaded !== undefined && error instanceof loaded.ToolError;
}

function served(name: ToolsetName, folder: () => Promise<string>): ServedTool {
  const spec = toolsetSpec(name as ToolsetToolName);
  return {
    definition: {
      name,
      description: spec.description,
      inputSchema: spec.input_schema as ServedTool['definition']['inputSchema'],
      annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    },
    async call(args, call) {
      const field = PATH_FIELDS[name];
      try {
        const root = await folder();
        const tool = await sdkTool(name, root);
        const input = { ...args, [field]: onHost(args[field], root) };
        const text = textOf(await tool.run(input, { toolUse: undefined as never, toolUseBlock: undefined as never, signal: call.signal }));
        // Paths are said as the session names them, never as this host lays them out.
        return { text: text.split(root).join(SESSION_UPLOADS_ROOT) };
      } catch (error) {
        const root = await folder().catch(() => '');
        const said = (text: string): string => (root === '' ? text : text.split(root).join(SESSION_UPLOADS_ROOT));
        return { text: said(isToolError(error) ? error.message : `${name} failed: ${error instanceof Error ? error.message : String(error)}`), isError: true };
      }
    },
  };
}

/**
 * read, glob and grep over a folder: `root` itself, or the one `root()` gives when first
 * needed (a mapped mount is laid out as a folder only when the toolset is used).
 */
export function agentToolsetTools(root: string | (() => Promise<string>)): ServedTool[] {
  let laidOut: Promise<string> | undefined;
  const folder = typeof root === 'string' ? (): Promise<string> => Promise.resolve(root) : (): Promise<string> => (laidOut ??= root());
  return [served('read', folder), served('glob', folder), served('grep', folder)];
}
