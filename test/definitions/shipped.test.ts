import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import {
  defaultAgentPath,
  defaultEnvironmentPath,
  loadAgentDefinition,
  loadEnvironmentDefinition,
  packageRoot,
} from '../../src/definitions/index.js';
import { SRE_TOOL_NAMES } from '../../src/protocol/tools.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

describe('the shipped definitions', () => {
  it('are found from the package root', () => {
    expect(packageRoot()).toBe(ROOT);
    expect(defaultAgentPath()).toBe(join(ROOT, 'agents', 'sre.yaml'));
    expect(defaultEnvironmentPath()).toBe(join(ROOT, 'environments', 'local.yaml'));
  });

  it('ship an SRE agent that may call every SRE tool and must ask before any action', async () => {
    const agent = await loadAgentDefinition(defaultAgentPath());
    expect(agent.name).toBe('sre');
    expect(agent.model.id).toBe('claude-opus-4-8');
    expect(agent.max_steps).toBe(60);
    expect(agent.actions_permission).toBe('always_ask');
    expect(agent.tools).toEqual(SRE_TOOL_NAMES.map((name) => ({ name, permission: 'always_allow' })));
    // The prompt teaches the use of every tool it is given.
    for (const name of SRE_TOOL_NAMES) expect(agent.system).toContain(name);
  });

  it('ship a local environment with remediation templates and no extra MCP servers', async () => {
    const environment = await loadEnvironmentDefinition(defaultEnvironmentPath());
    expect(environment.name).toBe('local');
    expect(environment.mcp_servers).toEqual([]);
    expect(environment.worker).toEqual({ start: 'lazy', call_timeout_ms: 30_000, idle_timeout_ms: 300_000, max_output_chars: 16_000, max_upload_bytes: 2_147_483_648 });
    expect(environment.env.allow).toEqual(['PATH', 'HOME', 'LANG', 'LC_ALL', 'TZ', 'TMPDIR']);
    expect(environment.actions.map((action) => action.kind)).toEqual(expect.arrayContaining(['rollback', 'disable_flag', 'revert_config', 'scale']));
    const rollback = environment.actions.find((action) => action.name === 'rollback');
    expect(rollback?.argv.slice(0, 3)).toEqual(['kubectl', 'rollout', 'undo']);
    expect(environment.credentials.length).toBeGreaterThan(0);
  });
});

describe('finding the package root from a bundle', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it('walks up from a chunk in dist/ past folders of other packages', async () => {
    const pkg = await mkdtemp(join(tmpdir(), 'incident-root-'));
    dirs.push(pkg);
    await writeFile(join(pkg, 'package.json'), JSON.stringify({ name: 'incident', type: 'module' }));
    await mkdir(join(pkg, 'dist', 'chunks'), { recursive: true });
    // A package.json with another name on the way up is not the root.
    await writeFile(join(pkg, 'dist', 'package.json'), JSON.stringify({ name: 'something-else', type: 'module' }));
    const entry = join(pkg, 'entry.ts');
    await writeFile(entry, `import { defaultAgentPath, defaultEnvironmentPath } from ${JSON.stringify(join(ROOT, 'src/definitions/paths.ts'))};\nconsole.log(JSON.stringify([defaultAgentPath(), defaultEnvironmentPath()]));\n`);
    const outfile = join(pkg, 'dist', 'chunks', 'paths.js');
    await build({ entryPoints: [entry], outfile, bundle: true, format: 'esm', platform: 'node', logLevel: 'silent' });
    expect(existsSync(outfile)).toBe(true);
    const printed = execFileSync(process.execPath, [outfile], { encoding: 'utf8' });
    expect(JSON.parse(printed)).toEqual([join(pkg, 'agents', 'sre.yaml'), join(pkg, 'environments', 'local.yaml')]);
  });
});
