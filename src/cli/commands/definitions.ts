// `incident agents validate|list` and `incident environments validate|list`: check a
// definition file and show its version, or list the definitions there are. The schemas
// (zod, yaml) load inside the actions, so `--help` never pays for them.
import type { Command } from 'commander';
import { readdir, realpath } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { DefinitionError, IncidentError } from '../../errors.js';
import type * as Definitions from '../../definitions/index.js';
import type { DefinitionKind } from '../../definitions/invalid-definition.js';

interface Output {
  out(line: string): void;
  err(line: string): void;
}

/** Writes through the program's configured output, so tests and the CLI see the same lines. */
function outputOf(command: Command): Output {
  const config = command.configureOutput();
  const writeOut = config.writeOut ?? ((text: string) => process.stdout.write(text));
  const writeErr = config.writeErr ?? ((text: string) => process.stderr.write(text));
  return { out: (line) => writeOut(`${line}\n`), err: (line) => writeErr(`${line}\n`) };
}

async function definitionsModule(): Promise<typeof Definitions> {
  return import('../../definitions/index.js');
}

/** A path as the user would type it: relative to the current directory when inside it. */
function displayPath(absolute: string): string {
  const rel = relative(process.cwd(), absolute);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : absolute;
}

async function loadDefinition(kind: DefinitionKind, file: string): Promise<{ name: string; version: string }> {
  const definitions = await definitionsModule();
  const definition = kind === 'agent' ? await definitions.loadAgentDefinition(file) : await definitions.loadEnvironmentDefinition(file);
  return { name: definition.name, version: definitions.definitionHash(definition) };
}

async function validate(kind: DefinitionKind, file: string | undefined, output: Output): Promise<void> {
  const definitions = await definitionsModule();
  const label = file ?? displayPath(kind === 'agent' ? definitions.defaultAgentPath() : definitions.defaultEnvironmentPath());
  try {
    const { name, version } = await loadDefinition(kind, label);
    output.out(`${label}: valid (${kind} ${name}, version ${version})`);
  } catch (error) {
    // One issue is said in full by the error itself; several are listed here, then summed up.
    if (!(error instanceof definitions.InvalidDefinitionError) || error.issues.length === 1) throw error;
    for (const line of error.report()) output.err(line);
    throw new DefinitionError(`${label} is not a valid ${kind} definition: ${error.issues.length} issues, listed above`, {
      hint: `fix them, then run \`${definitions.validateCommand(kind, label)}\` again`,
    });
  }
}

/** The YAML files in the shipped folder and in ./agents or ./environments, each once. */
async function definitionFiles(kind: DefinitionKind): Promise<string[]> {
  const definitions = await definitionsModule();
  const shipped = kind === 'agent' ? definitions.shippedAgentsDir() : definitions.shippedEnvironmentsDir();
  const seen = new Set<string>();
  const files: string[] = [];
  for (const dir of [shipped, resolve(process.cwd(), `${kind}s`)]) {
    let names: string[];
    try {
      names = await readdir(dir);
    } catch {
      continue; // a folder that is not there has nothing to list
    }
    for (const name of names.filter((entry) => /\.ya?ml$/.test(entry)).sort()) {
      const file = join(dir, name);
      const real = await realpath(file).catch(() => file);
      if (seen.has(real)) continue;
      seen.add(real);
      files.push(file);
    }
  }
  return files;
}

async function list(kind: DefinitionKind, output: Output): Promise<void> {
  const rows: Array<[string, string, string]> = [];
  const failures: string[] = [];
  const files = await definitionFiles(kind);
  for (const file of files) {
    const label = displayPath(file);
    try {
      const { name, version } = await loadDefinition(kind, label);
      rows.push([name, version, label]);
    } catch (error) {
      if (!(error instanceof IncidentError)) throw error;
      failures.push(error.message);
    }
  }
  const width = Math.max(0, ...rows.map(([name]) => name.length));
  for (const [name, version, label] of rows) output.out(`${name.padEnd(width)}  ${version}  ${label}`);
  if (failures.length === 0) return;
  for (const line of failures) output.err(line);
  throw new DefinitionError(`${failures.length} of ${files.length} ${kind} definitions ${failures.length === 1 ? 'is' : 'are'} invalid`, {
    hint: `run \`incident ${kind}s validate <file>\` on each file named above`,
  });
}

export function registerDefinitionCommands(program: Command): void {
  const groups: Array<[DefinitionKind, string]> = [
    ['agent', 'agent definitions (agents/*.yaml): the model, prompt and tools of the brain'],
    ['environment', 'environment definitions (environments/*.yaml): where tools run, their actions and credentials'],
  ];
  for (const [kind, description] of groups) {
    const group = program.command(`${kind}s`).description(description);
    group
      .command('validate')
      .description(`check an ${kind} definition and print its version (the shipped one when no file is given)`)
      .argument('[file]', `the ${kind} YAML file`)
      .action(async (file: string | undefined, _options: unknown, command: Command) => {
        await validate(kind, file, outputOf(command));
      });
    group
      .command('list')
      .description(`list the shipped ${kind} definitions and those in ./${kind}s, with name and version`)
      .action(async (_options: unknown, command: Command) => {
        await list(kind, outputOf(command));
      });
  }
}
