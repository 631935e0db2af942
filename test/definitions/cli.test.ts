import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { registerDefinitionCommands } from '../../src/cli/commands/definitions.js';
import { DefinitionError } from '../../src/errors.js';
import {
  InvalidDefinitionError,
  definitionHash,
  defaultAgentPath,
  defaultEnvironmentPath,
  loadAgentDefinition,
  loadEnvironmentDefinition,
  packageRoot,
} from '../../src/definitions/index.js';
import { AGENT, ENVIRONMENT } from './helpers.js';

interface Run {
  stdout: string;
  stderr: string;
  error: unknown;
}

async function run(...args: string[]): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const program = new Command('incident')
    .exitOverride()
    .configureOutput({ writeOut: (text) => (stdout += text), writeErr: (text) => (stderr += text) });
  registerDefinitionCommands(program);
  let error: unknown;
  try {
    await program.parseAsync(args, { from: 'user' });
  } catch (thrown) {
    error = thrown;
  }
  return { stdout, stderr, error };
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'incident-defs-'));
});
afterEach(async () => {
  vi.restoreAllMocks();
  await rm(dir, { recursive: true, force: true });
});

describe('incident agents validate', () => {
  it('validates the shipped agent when no file is given', async () => {
    vi.spyOn(process, 'cwd').mockReturnValue(packageRoot());
    const version = definitionHash(await loadAgentDefinition(defaultAgentPath()));
    const result = await run('agents', 'validate');
    expect(result.error).toBeUndefined();
    expect(result.stdout).toBe(`agents/sre.yaml: valid (agent sre, version ${version})\n`);
  });

  it('names the shipped file by its absolute path from elsewhere', async () => {
    vi.spyOn(process, 'cwd').mockReturnValue(dir);
    const version = definitionHash(await loadEnvironmentDefinition(defaultEnvironmentPath()));
    const result = await run('environments', 'validate');
    expect(result.stdout).toBe(`${defaultEnvironmentPath()}: valid (environment local, version ${version})\n`);
  });

  it('names a given file as given', async () => {
    vi.spyOn(process, 'cwd').mockReturnValue(dir);
    await writeFile(join(dir, 'mine.yaml'), AGENT);
    const result = await run('agents', 'validate', 'mine.yaml');
    expect(result.stdout).toBe(`mine.yaml: valid (agent sre, version ${definitionHash(await loadAgentDefinition(join(dir, 'mine.yaml')))})\n`);
  });

  it('lets a single issue propagate as it is', async () => {
    vi.spyOn(process, 'cwd').mockReturnValue(dir);
    await writeFile(join(dir, 'bad.yaml'), AGENT.replace('name: sre', 'name: SRE'));
    const result = await run('agents', 'validate', 'bad.yaml');
    expect(result.error).toBeInstanceOf(InvalidDefinitionError);
    expect((result.error as Error).message).toBe(
      'bad.yaml:1:7 name: must be lowercase letters, digits and dashes, starting with a letter or digit (like sre or db-oncall)',
    );
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe('');
  });

  it('lists several issues, then fails with a summary', async () => {
    vi.spyOn(process, 'cwd').mockReturnValue(dir);
    await writeFile(join(dir, 'bad.yaml'), AGENT.replace('name: sre', 'name: SRE').replace('system: Investigate.', 'system: ""'));
    const result = await run('agents', 'validate', 'bad.yaml');
    expect(result.stderr).toBe(
      [
        'bad.yaml:1:7 name: must be lowercase letters, digits and dashes, starting with a letter or digit (like sre or db-oncall)',
        'bad.yaml:3:9 system: must not be empty',
        '',
      ].join('\n'),
    );
    expect(result.error).toBeInstanceOf(DefinitionError);
    expect((result.error as DefinitionError).oneLine()).toBe(
      'bad.yaml is not a valid agent definition: 2 issues, listed above (fix them, then run `incident agents validate bad.yaml` again)',
    );
  });

  it('says when the file is not there', async () => {
    vi.spyOn(process, 'cwd').mockReturnValue(dir);
    const result = await run('environments', 'validate', 'nope.yaml');
    expect(result.error).toBeInstanceOf(DefinitionError);
    expect((result.error as DefinitionError).oneLine()).toBe(
      'nope.yaml: no such file (check the path, or run `incident environments list` to see the definitions there are)',
    );
  });
});

describe('incident agents|environments list', () => {
  it('lists the shipped definitions and those in ./agents, with name and version', async () => {
    vi.spyOn(process, 'cwd').mockReturnValue(dir);
    await mkdir(join(dir, 'agents'));
    await writeFile(join(dir, 'agents', 'db-oncall.yaml'), AGENT.replace('name: sre', 'name: db-oncall'));
    await writeFile(join(dir, 'agents', 'notes.txt'), 'not a definition');
    const shipped = definitionHash(await loadAgentDefinition(defaultAgentPath()));
    const mine = definitionHash(await loadAgentDefinition(join(dir, 'agents', 'db-oncall.yaml')));
    const result = await run('agents', 'list');
    expect(result.error).toBeUndefined();
    expect(result.stdout).toBe(`sre        ${shipped}  ${defaultAgentPath()}\ndb-oncall  ${mine}  agents/db-oncall.yaml\n`);
  });

  it('lists each file once when the current directory is the package', async () => {
    vi.spyOn(process, 'cwd').mockReturnValue(packageRoot());
    const result = await run('environments', 'list');
    const version = definitionHash(await loadEnvironmentDefinition(defaultEnvironmentPath()));
    const example = definitionHash(await loadEnvironmentDefinition(join(packageRoot(), 'environments', 'prometheus-mcp.yaml')));
    const live = definitionHash(await loadEnvironmentDefinition(join(packageRoot(), 'environments', 'live-sources.yaml')));
    expect(result.stdout).toBe(
      `live-sources    ${live}  environments/live-sources.yaml\nlocal           ${version}  environments/local.yaml\nprometheus-mcp  ${example}  environments/prometheus-mcp.yaml\n`,
    );
  });

  it('lists what is valid, names what is not, then fails', async () => {
    vi.spyOn(process, 'cwd').mockReturnValue(dir);
    await mkdir(join(dir, 'environments'));
    await writeFile(join(dir, 'environments', 'staging.yml'), ENVIRONMENT.replace('name: local', 'name: staging'));
    await writeFile(join(dir, 'environments', 'broken.yaml'), ENVIRONMENT.replace('kind: rollback', 'kind: nuke'));
    const result = await run('environments', 'list');
    expect(result.stdout.split('\n').map((line) => line.split(/\s+/)[0])).toEqual(['live-sources', 'local', 'prometheus-mcp', 'staging', '']);
    expect(result.stderr).toBe(
      'environments/broken.yaml:4:11 actions[0].kind: must be rollback, revert_config, disable_flag, scale, failover, restart or other\n',
    );
    expect((result.error as DefinitionError).oneLine()).toBe(
      '1 of 5 environment definitions is invalid (run `incident environments validate <file>` on each file named above)',
    );
  });
});
