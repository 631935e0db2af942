// `--version` and `--help` must not load Ink, React or the SDK: the static import graph
// of the built CLI entry (dynamic imports excluded) holds none of them.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const STATIC_IMPORT = /^(?:import|export)\s[^;]*?from\s*["']([^"']+)["']|^import\s*["']([^"']+)["']/gm;

function staticGraph(entry: string): { files: string[]; packages: Set<string> } {
  const files: string[] = [];
  const packages = new Set<string>();
  const queue = [resolve(entry)];
  const seen = new Set<string>();
  while (queue.length > 0) {
    const file = queue.pop() as string;
    if (seen.has(file)) continue;
    seen.add(file);
    files.push(file);
    for (const match of readFileSync(file, 'utf8').matchAll(STATIC_IMPORT)) {
      const spec = match[1] ?? match[2] ?? '';
      if (spec.startsWith('.')) queue.push(join(dirname(file), spec));
      else if (!spec.startsWith('node:')) packages.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : (spec.split('/')[0] ?? spec));
    }
  }
  return { files, packages };
}

describe('start-up of the built CLI', () => {
  it('loads no UI, model or MCP package before a command runs', () => {
    const { files, packages } = staticGraph('dist/cli.js');
    const heavy = ['ink', 'react', '@anthropic-ai/sdk', '@modelcontextprotocol/sdk', 'zod', 'yaml', 'ora', 'chalk'];
    for (const name of heavy) expect(packages.has(name), `${name} is imported at start-up`).toBe(false);
    // Bundled packages keep esbuild's path comments: none may be in the start-up graph.
    const bundled = new RegExp(`^// node_modules/(${heavy.map((name) => name.replace('/', '\\/')).join('|')})/`, 'm');
    for (const file of files) expect(bundled.test(readFileSync(file, 'utf8')), `${file} bundles a heavy package`).toBe(false);
    // And the check can see them: the lazy chunks do hold Ink.
    const all = readdirSync('dist/chunks').map((name) => readFileSync(join('dist/chunks', name), 'utf8'));
    expect(all.some((text) => /^\/\/ node_modules\/ink\//m.test(text))).toBe(true);
  });

  it('answers --version from the launcher without loading the CLI', () => {
    const launcher = readFileSync('bin/incident.js', 'utf8');
    expect(launcher.indexOf("import('../dist/version.js')")).toBeGreaterThan(-1);
    expect(launcher.indexOf("import('../dist/version.js')")).toBeLessThan(launcher.indexOf("import('../dist/cli.js')"));
  });
});
