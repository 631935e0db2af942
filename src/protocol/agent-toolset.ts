// The Managed Agents built-in toolset (`agent_toolset_20260401`) as far as incident
// serves it: its tool names and input schemas (as the API documents them), which of them
// read the mounted files, and what a call to one that would change or execute something
// is told instead. An agent created with the toolset (as the API's own quick start does)
// reads the session's mounts with read, glob and grep; the mounts are read-only and no
// shell runs, so bash, write and edit answer with a tool error that says so.
import type { ToolSpec } from './tools.js';

export const AGENT_TOOLSET_TYPE = 'agent_toolset_20260401';

/** Where the session's mounted files are, for every host of the hands. */
export const SESSION_UPLOADS_ROOT = '/mnt/session/uploads';

export const READ_ONLY_TOOLSET_TOOLS = ['read', 'glob', 'grep'] as const;
export const REFUSED_TOOLSET_TOOLS = ['bash', 'write', 'edit'] as const;
export type ToolsetToolName = (typeof READ_ONLY_TOOLSET_TOOLS)[number] | (typeof REFUSED_TOOLSET_TOOLS)[number];

const SPECS: Record<ToolsetToolName, ToolSpec> = {
  read: {
    name: 'read',
    description: `Read a UTF-8 text file of the session's mounted files (under ${SESSION_UPLOADS_ROOT}, or a path relative to it).`,
    input_schema: {
      type: 'object',
      properties: {
        file_path: { type: 'string' },
        view_range: { type: 'array', items: { type: 'integer' }, description: '[start_line, end_line] 1-indexed inclusive' },
      },
      required: ['file_path'],
    },
  },
  glob: {
    name: 'glob',
    description: `Match the session's mounted files against a glob pattern (relative to ${SESSION_UPLOADS_ROOT}, or to path).`,
    input_schema: {
      type: 'object',
      properties: { pattern: { type: 'string' }, path: { type: 'string', description: 'Directory to search in.' } },
      required: ['pattern'],
    },
  },
  grep: {
    name: 'grep',
    description: `Search the contents of the session's mounted files for a regex (under ${SESSION_UPLOADS_ROOT}, or path).`,
    input_schema: { type: 'object', properties: { pattern: { type: 'string' }, path: { type: 'string' } }, required: ['pattern'] },
  },
  bash: {
    name: 'bash',
    description: 'Run a shell command. Not available here: the hands run no shell.',
    input_schema: { type: 'object', properties: { command: { type: 'string' }, restart: { type: 'boolean' }, timeout_ms: { type: 'integer' } } },
  },
  write: {
    name: 'write',
    description: 'Write a file. Not available here: the mounted files are read-only.',
    input_schema: { type: 'object', properties: { file_path: { type: 'string' }, content: { type: 'string' } }, required: ['file_path', 'content'] },
  },
  edit: {
    name: 'edit',
    description: 'Edit a file. Not available here: the mounted files are read-only.',
    input_schema: {
      type: 'object',
      properties: { file_path: { type: 'string' }, old_string: { type: 'string' }, new_string: { type: 'string' }, replace_all: { type: 'boolean' } },
      required: ['file_path', 'old_string', 'new_string'],
    },
  },
};

export function isToolsetTool(name: string): name is ToolsetToolName {
  return Object.hasOwn(SPECS, name);
}

export function isRefusedToolsetTool(name: string): boolean {
  return (REFUSED_TOOLSET_TOOLS as readonly string[]).includes(name);
}

export function toolsetSpec(name: ToolsetToolName): ToolSpec {
  return SPECS[name];
}

/** The tool error a call to bash, write or edit gets. */
export function refusedToolsetText(name: string): string {
  const why = name === 'bash' ? 'no shell runs in these hands' : `the mounted files under ${SESSION_UPLOADS_ROOT} are read-only`;
  return `${name} is not available: ${why}. Read the session's files with read, glob and grep.`;
}
