// `incident tools list` and `incident tools run`: the SRE toolset (and an environment's
// remediation actions) outside a session. `run` goes through a real environment worker,
// exactly as a session does, so what it prints is what a brain would see.
import type { Command } from 'commander';
import { constants } from 'node:fs';
import { copyFile, mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { EnvironmentDefinition } from '../../definitions/index.js';
import { EXIT, InputError, RuntimeFailure } from '../../errors.js';
import type { ToolSpec } from '../../protocol/tools.js';
import type { WorkerConfig } from '../../hands/worker-config.js';
import type * as HandsRuntime from '../../runtime/hands/index.js';
import type { HandsConfigJson } from '../../runtime/hands/index.js';
import { buildInput, LOG_FILE_TOOLS, type ToolArgs } from '../tool-input.js';

interface Output {
  out(text: string): void;
  err(text: string): void;
  isTTY: boolean;
}

function outputOf(command: Command): Output {
  const config = command.configureOutput();
  return {
    out: config.writeOut ?? ((text: string) => process.stdout.write(text)),
    err: config.writeErr ?? ((text: string) => process.stderr.write(text)),
    isTTY: process.stdout.isTTY === true,
  };
}

/** The bundle directory, absolute; a missing one is the user's to fix. */
export async function bundleDirectory(dir: string | undefined): Promise<string> {
  if (dir === undefined || dir === '') {
    throw new InputError('no bundle given', {
      hint: 'pass --bundle <dir>, the folder with the alert, metrics, changes, diffs and logs; log_patterns and search_logs also take --file <log> alone',
    });
  }
  const absolute = path.resolve(dir);
  const info = await stat(absolute).catch(() => null);
  if (info === null) throw new InputError(`bundle ${dir} does not exist`, { hint: 'pass --bundle <dir> with the path of an incident bundle folder' });
  if (!info.isDirectory()) throw new InputError(`bundle ${dir} is not a folder`, { hint: 'pass --bundle <dir> with the folder that holds the bundle files' });
  return absolute;
}

export async function loadEnvironment(file: string | undefined): Promise<EnvironmentDefinition | null> {
  if (file === undefined) return null;
  const { loadEnvironmentDefinition } = await import('../../definitions/index.js');
  return loadEnvironmentDefinition(file);
}

/** The tools that read one log file given by itself (`--file <log>` without `--bundle`). */

interface OneFileBundle {
  root: string;
  /** The file's path inside the bundle, as the tool's `file` argument. */
  relPath: string;
  remove(): Promise<void>;
}

/**
 * A log file anywhere on disk as a bundle of its own. The worker reads only inside its
 * bundle root, and the file's own folder holds other files (all of /var/log), so the root
 * is a private folder holding just this file, under logs/ so it reads as a log whatever
 * its name. The file is cloned copy-on-write where the file system allows, else copied.
 */
async function oneFileBundle(file: string): Promise<OneFileBundle> {
  const absolute = path.resolve(file);
  const info = await stat(absolute).catch(() => null);
  if (info === null) throw new InputError(`--file ${file} does not exist`, { hint: 'pass the path of a log file, e.g. --file /var/log/syslog' });
  if (!info.isFile()) throw new InputError(`--file ${file} is not a file`, { hint: 'pass one log file; for a folder of logs use --bundle <dir>' });
  const root = await mkdtemp(path.join(tmpdir(), 'incident-file-'));
  const remove = (): Promise<void> => rm(root, { recursive: true, force: true });
  const relPath = `logs/${path.basename(absolute)}`;
  try {
    await mkdir(path.join(root, 'logs'));
    await copyFile(absolute, path.join(root, relPath), constants.COPYFILE_FICLONE);
  } catch (error) {
    await remove();
    throw new InputError(`cannot read --file ${file}: ${(error as Error).message}`, { hint: 'check that the file is readable by you' });
  }
  return { root, relPath, remove };
}

/** The worker's own reading of the configuration; what it refuses, the user can fix in the environment file. */
export async function workerConfigOf(config: HandsConfigJson, environmentFile: string | undefined): Promise<WorkerConfig> {
  const { parseWorkerConfig, WorkerConfigError } = await import('../../hands/worker-config.js');
  try {
    return parseWorkerConfig(config);
  } catch (error) {
    if (!(error instanceof WorkerConfigError)) throw error;
    throw new InputError(error.message, { hint: `fix ${environmentFile ?? 'the environment definition'}` });
  }
}

/** What `tools list` shows per tool: the opening sentences of its description, on one line. */
export function oneLine(description: string, max = 110): string {
  const sentences = description.replace(/\s+/g, ' ').trim().split(/(?<=\.) /);
  let line = sentences.shift() ?? '';
  // A very short opening ("Start here.") says too little on its own.
  while (line.length < 40 && sentences.length > 0) line = `${line} ${sentences.shift()}`;
  if (line.length <= max) return line;
  const cut = line.lastIndexOf(' ', max - 1);
  return `${line.slice(0, cut > max / 2 ? cut : max - 1).replace(/[,;:(]$/, '')}…`;
}

interface Listed {
  name: string;
  kind: 'sre' | 'action' | 'mcp_server';
  /** One line, for a person. */
  summary: string;
  /** In full, as a model sees it. */
  description: string;
  /** The arguments, as a model sees them; null for an external server's tools (known once it starts). */
  input_schema: ToolSpec['input_schema'] | null;
}

async function listTools(options: { json?: boolean; environment?: string }, output: Output): Promise<void> {
  const [{ toolSpecs }, { actionToolSpec }] = await Promise.all([import('../../hands/tools/index.js'), import('../../runtime/environment-hands.js')]);
  const environment = await loadEnvironment(options.environment);
  const listed: Listed[] = toolSpecs().map((spec) => ({
    name: spec.name,
    kind: 'sre',
    summary: oneLine(spec.description),
    description: spec.description,
    input_schema: spec.input_schema,
  }));
  for (const action of environment?.actions ?? []) {
    const spec = actionToolSpec(action);
    listed.push({
      name: spec.name,
      kind: 'action',
      summary: `${oneLine(action.description)} (asks before it runs)`,
      description: spec.description,
      input_schema: spec.input_schema,
    });
  }
  for (const server of environment?.mcp_servers ?? []) {
    const description = `The tools of the MCP server "${server.name}" (${[server.command, ...server.args].join(' ')}), listed when the worker starts.`;
    listed.push({ name: `${server.name}__*`, kind: 'mcp_server', summary: description, description, input_schema: null });
  }
  if (options.json === true) {
    output.out(`${JSON.stringify(listed.map(({ summary: _summary, ...tool }) => tool))}\n`);
    return;
  }
  const width = Math.max(...listed.map((tool) => tool.name.length));
  const sections: Array<[Listed['kind'], string]> = [
    ['sre', 'SRE tools'],
    ['action', `Remediation actions (${options.environment ?? ''})`],
    ['mcp_server', 'External MCP servers'],
  ];
  for (const [kind, title] of sections) {
    const tools = listed.filter((tool) => tool.kind === kind);
    if (tools.length === 0) continue;
    output.out(`${title}\n`);
    for (const tool of tools) output.out(`  ${tool.name.padEnd(width)}  ${tool.summary}\n`);
  }
  if (environment === null) output.out('\nRemediation actions come from an environment: incident tools list --environment <file>\n');
}

interface RunOptions extends ToolArgs {
  bundle?: string;
  json?: boolean;
  dryRun?: boolean;
  environment?: string;
}

type HandsModule = typeof HandsRuntime;

/** A manager for one CLI call: the environment's allow-list and credentials, output streamed to stderr. */
function cliManager(hands: HandsModule, config: HandsConfigJson, environment: EnvironmentDefinition | null, output: Output): ReturnType<HandsModule['createHandsManager']> {
  const workerScript = hands.defaultWorkerScript();
  if (workerScript === undefined) throw new RuntimeFailure('the environment worker is not built', { hint: 'run `npm run build`' });
  return hands.createHandsManager({
    workerScript,
    config,
    env: hands.buildWorkerEnv(
      process.env,
      environment?.env.allow ?? hands.DEFAULT_ENV_ALLOW,
      (environment?.credentials ?? []).map((credential) => ({ name: credential.name, fromEnv: credential.from_env })),
    ),
    callTimeoutMs: environment?.worker.call_timeout_ms ?? 30_000,
    // Live output (an action's) goes to stderr, so stdout holds only the result.
    onOutput: (_id, chunk) => output.err(chunk),
  });
}

async function runTool(name: string, json: string | undefined, options: RunOptions, output: Output): Promise<void> {
  // `--file <log>` alone: that file, anywhere on disk, is the whole bundle.
  const alone = options.bundle === undefined && options.file !== undefined;
  if (alone && !LOG_FILE_TOOLS.includes(name)) {
    throw new InputError(`${name} needs --bundle <dir>`, { hint: `only ${LOG_FILE_TOOLS.join(' and ')} read a log file given alone with --file` });
  }
  const bundleRoot = alone ? null : await bundleDirectory(options.bundle);
  const environment = await loadEnvironment(options.environment);
  const single = alone && options.file !== undefined ? await oneFileBundle(options.file) : null;
  try {
    await runToolOn(single?.root ?? bundleRoot ?? '', name, json, single ? { ...options, file: single.relPath } : options, environment, output);
  } finally {
    await single?.remove();
  }
}

async function runToolOn(
  bundleRoot: string,
  name: string,
  json: string | undefined,
  options: RunOptions,
  environment: EnvironmentDefinition | null,
  output: Output,
): Promise<void> {
  const [{ SRE_TOOLS, toolSpecs }, { parametersSchema, validateParameters }, hands, { streamAssignments, STREAM_PAGE_CHARS }] = await Promise.all([
    import('../../hands/tools/index.js'),
    import('../../hands/actions/parameters.js'),
    import('../../runtime/hands/index.js'),
    import('../assign-stream.js'),
  ]);
  const { handsConfigFromEnvironment } = await import('../../runtime/environment-hands.js');
  const sre = SRE_TOOLS.find((tool) => tool.name === name);
  const sreSpec = sre === undefined ? undefined : toolSpecs().find((candidate) => candidate.name === name);
  const sreInput = sreSpec === undefined ? undefined : buildInput(sreSpec, json, options);
  // `--assign` (or assign: true): every event, streamed; see streamAssignments.
  const streaming = name === 'log_patterns' && sreInput?.['assign'] === true;
  const config = handsConfigFromEnvironment(environment, bundleRoot);
  // A person or a script reads the stream, not a model: its pages may be as large as a worker allows.
  if (streaming) config.maxOutputChars = STREAM_PAGE_CHARS;
  const workerConfig = await workerConfigOf(config, options.environment);
  const action = workerConfig.actions.find((candidate) => `action_${candidate.name}` === name);
  const unknownTool = new InputError(`unknown tool "${name}"`, {
    hint:
      name.startsWith('action_') && environment === null
        ? 'actions come from an environment: pass --environment <file>'
        : `run \`incident tools list${environment === null ? '' : ' --environment <file>'}\` to see the tools`,
  });
  if (sre === undefined && action === undefined && workerConfig.mcpServers.length === 0) throw unknownTool;
  if (options.dryRun === true && action === undefined) throw new InputError('--dry-run is for actions only', { hint: 'drop --dry-run, or name an action_* tool' });

  const manager = cliManager(hands, config, environment, output);
  try {
    let spec: ToolSpec | undefined = sreSpec;
    if (sre === undefined && action !== undefined) spec = { name, description: action.description, input_schema: parametersSchema(action) };
    else if (sre === undefined) {
      // The tools of external MCP servers are known only once the worker has started them.
      const listed = await manager.listTools().catch((error: unknown) => {
        throw new RuntimeFailure((error as Error).message, { hint: 'check the mcp_servers of the environment' });
      });
      spec = listed.find((candidate) => candidate.name === name);
    }
    if (spec === undefined) throw unknownTool;

    const input = sreInput ?? buildInput(spec, json, options);
    const invalid =
      sre !== undefined ? zodProblem(sre.inputSchema.safeParse(input)) : action !== undefined ? validationProblem(validateParameters(action, input)) : null;
    if (invalid !== null) {
      throw new InputError(`invalid arguments for ${name}: ${invalid}`, {
        hint: `the keys of ${name}: ${Object.keys(spec.input_schema.properties ?? {}).join(', ') || 'none'}; pass --arg key=value or a JSON object`,
      });
    }
    if (streaming) {
      await streamAssignments(manager, input, output);
      return;
    }
    const result = await manager.call(name, input, { toolUseId: 'cli', dryRun: options.dryRun === true });
    output.out(`${format(result.text, options.json !== true && output.isTTY)}\n`);
    if (result.isError) process.exitCode = EXIT.runtime;
  } finally {
    await manager.close();
  }
}


function zodProblem(parsed: { success: true } | { success: false; error: { issues: ReadonlyArray<{ path: PropertyKey[]; message: string }> } }): string | null {
  if (parsed.success) return null;
  const issue = parsed.error.issues[0];
  const where = issue && issue.path.length > 0 ? `${issue.path.map(String).join('.')}: ` : '';
  return `${where}${issue?.message ?? 'invalid'}`;
}

function validationProblem(validated: { ok: true } | { ok: false; error: string }): string | null {
  return validated.ok ? null : validated.error;
}

/** Pretty JSON for a person; the text as it came for a machine (or when it is not JSON). */
function format(text: string, pretty: boolean): string {
  if (!pretty) return text;
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

export function registerTools(program: Command): void {
  const tools = program.command('tools').description('list the SRE tools, or run one on a bundle through the environment worker');
  tools
    .command('list')
    .description('list the SRE tools (and, with --environment, its remediation actions)')
    .option('--json', 'print JSON')
    .option('--environment <file>', 'an environment definition whose actions to list')
    .action(async (options: { json?: boolean; environment?: string }, command: Command) => {
      await listTools(options, outputOf(command));
    });
  tools
    .command('run')
    .description('run one tool on a bundle (or log_patterns and search_logs on one log file) and print its result')
    .argument('<tool>', 'the tool name (see `incident tools list`)')
    .argument('[json]', 'the arguments as one JSON object')
    .option('--bundle <dir>', 'the incident bundle folder')
    .option('--arg <key=value>', 'one argument (repeatable)', (value: string, previous: string[]) => [...previous, value], [] as string[])
    .option('--json', 'print the result as it came, on one line')
    .option('--dry-run', 'for actions: print the exact command without running it')
    .option('--file <log>', 'log_patterns, search_logs: the log file to read (inside --bundle; without it, any log file on disk)')
    .option('--assign', 'log_patterns: every event with its template, one JSON line each (from --arg offset, at most --arg limit)')
    .option('--environment <file>', 'an environment definition (for its actions, credentials and MCP servers)')
    .action(async (name: string, json: string | undefined, options: RunOptions, command: Command) => {
      await runTool(name, json, options, outputOf(command));
    });
}
