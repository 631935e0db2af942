// `--version` and `--help` must not load Ink, React or the SDK: the static import graph
// of the built CLI entry (dynamic imports excluded) holds none of them.
import { readFileSync } from 'node:fs';
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
    const { packages } = staticGraph('dist/cli.js');
    for (const heavy of ['ink', 'react', '@anthropic-ai/sdk', '@modelcontextprotocol/sdk', 'zod', 'yaml', 'ora', 'chalk']) {
      expect(packages.has(heavy), `${heavy} is loaded at start-up`).toBe(false);
    }
  });

  it('answers --version from the launcher without loading the CLI', () => {
    const launcher = readFileSync('bin/incident.js', 'utf8');
    expect(launcher.indexOf("import('../dist/version.js')")).toBeGreaterThan(-1);
    expect(launcher.indexOf("import('../dist/version.js')")).toBeLessThan(launcher.indexOf("import('../dist/cli.js')"));
  });
});
