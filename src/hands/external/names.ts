// Names for the tools of external MCP servers: `<server>__<tool>`. MCP allows letters,
// digits, `_`, `-` and `.` up to 128 characters; the Messages API allows no dot and at
// most 64. A name must be valid in both, so anything else becomes `_`, and a name too
// long is shortened with a hash of the original so two long names stay distinct.
import { createHash } from 'node:crypto';

export const EXTERNAL_SEPARATOR = '__';
export const MAX_TOOL_NAME = 64;
export const TOOL_NAME = /^[A-Za-z0-9_-]{1,64}$/;

function sanitize(part: string): string {
  const clean = part.replace(/[^A-Za-z0-9_-]/g, '_');
  return clean === '' ? '_' : clean;
}

function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 8);
}

/** The name a server's tool is served under, unique among `taken` (which it joins). */
export function externalToolName(server: string, tool: string, taken: Set<string>): string {
  const original = `${server}${EXTERNAL_SEPARATOR}${tool}`;
  let name = `${sanitize(server)}${EXTERNAL_SEPARATOR}${sanitize(tool)}`;
  if (name.length > MAX_TOOL_NAME) name = `${name.slice(0, MAX_TOOL_NAME - 9)}_${shortHash(original)}`;
  if (taken.has(name)) name = `${name.slice(0, MAX_TOOL_NAME - 9)}_${shortHash(`${original}#${taken.size}`)}`;
  taken.add(name);
  return name;
}
