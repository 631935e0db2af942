// Reads a definition file: YAML with node positions kept, then one schema, then the
// rules that span fields. Any problem becomes an InvalidDefinitionError whose lines
// read `file:line:col path: message`, in file order.
import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { DefinitionError } from '../errors.js';
import { AgentDefinitionSchema, agentIssues, type AgentDefinition } from './agent-schema.js';
import { environmentIssues } from './environment-checks.js';
import { EnvironmentDefinitionSchema, type EnvironmentDefinition } from './environment-schema.js';
import { explainIssue, formatPath, fromZodIssues, type DefinitionIssue } from './issues.js';
import { InvalidDefinitionError, type DefinitionKind } from './invalid-definition.js';
import { locateIssue } from './locate.js';

/** Definitions are a few kilobytes; anything this large is the wrong file. */
const MAX_DEFINITION_BYTES = 1024 * 1024;

function parseDefinition<T>(
  kind: DefinitionKind,
  text: string,
  file: string,
  schema: z.ZodType<T>,
  crossFieldIssues: (definition: T) => DefinitionIssue[],
): T {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, merge: true });
  if (doc.errors.length > 0) {
    const lines = [...doc.errors]
      .sort((a, b) => a.pos[0] - b.pos[0])
      .map((error) => {
        const { line, col } = lineCounter.linePos(error.pos[0]);
        return `${file}:${line}:${col} YAML syntax: ${error.message}`;
      });
    throw new InvalidDefinitionError(kind, file, lines);
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    // Only an alias bomb gets here: the document itself parsed.
    throw new InvalidDefinitionError(kind, file, [`${file}:1:1 YAML: ${(error as Error).message}`]);
  }
  const result = schema.safeParse(data, { error: explainIssue });
  const issues = result.success ? crossFieldIssues(result.data) : fromZodIssues(result.error.issues);
  if (result.success && issues.length === 0) return result.data;
  const located = issues
    .map((issue, order) => ({ issue, order, ...locateIssue(doc, lineCounter, issue) }))
    .sort((a, b) => a.offset - b.offset || a.order - b.order)
    .map(({ issue, position }) => {
      const path = formatPath(issue.path);
      return `${file}:${position.line}:${position.col} ${path === '' ? '' : `${path}: `}${issue.message}`;
    });
  throw new InvalidDefinitionError(kind, file, located);
}

/** Parses agent YAML; `fileLabel` is how errors name the file. Throws InvalidDefinitionError. */
export function parseAgentDefinition(text: string, fileLabel: string): AgentDefinition {
  return parseDefinition('agent', text, fileLabel, AgentDefinitionSchema, agentIssues);
}

/** Parses environment YAML; `fileLabel` is how errors name the file. Throws InvalidDefinitionError. */
export function parseEnvironmentDefinition(text: string, fileLabel: string): EnvironmentDefinition {
  return parseDefinition('environment', text, fileLabel, EnvironmentDefinitionSchema, environmentIssues);
}

/** The text of a definition file, with a user-facing error for the ways reading can fail. */
export async function readDefinitionFile(kind: DefinitionKind, file: string): Promise<string> {
  const path = resolve(file);
  try {
    const info = await stat(path);
    if (info.isDirectory()) {
      throw new DefinitionError(`${file} is a directory, not an ${kind} definition`, { hint: `give the path of a .yaml file inside it` });
    }
    if (info.size > MAX_DEFINITION_BYTES) {
      throw new DefinitionError(`${file} is ${info.size} bytes, too large for an ${kind} definition (the limit is 1 MiB)`, {
        hint: 'check that the path names the YAML definition',
      });
    }
    return await readFile(path, 'utf8');
  } catch (error) {
    if (error instanceof DefinitionError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new DefinitionError(`${file}: no such file`, { hint: `check the path, or run \`incident ${kind}s list\` to see the definitions there are`, cause: error });
    if (code === 'EACCES' || code === 'EPERM') throw new DefinitionError(`${file}: permission denied`, { hint: 'make the file readable by this user', cause: error });
    throw new DefinitionError(`${file}: cannot be read (${(error as Error).message})`, { hint: 'check the path', cause: error });
  }
}

/** Reads and parses an agent definition file. `file` is used as given in error messages. */
export async function loadAgentDefinition(file: string): Promise<AgentDefinition> {
  return parseAgentDefinition(await readDefinitionFile('agent', file), file);
}

/** Reads and parses an environment definition file. `file` is used as given in error messages. */
export async function loadEnvironmentDefinition(file: string): Promise<EnvironmentDefinition> {
  return parseEnvironmentDefinition(await readDefinitionFile('environment', file), file);
}
