// The layer rules of design.md, enforced: an import that points the wrong way fails here.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve('src');

/** Which layers each layer may import (besides itself). */
const ALLOWED: Record<string, readonly string[]> = {
  // The evaluation drives the local runtime through the client, with the hands served in process.
  eval: ['client', 'render', 'runtime', 'brains', 'hands', 'definitions', 'protocol', 'errors'],
  cli: ['ui', 'render', 'client', 'runtime', 'store', 'brains', 'verdict', 'hands', 'collect', 'bundle', 'definitions', 'protocol', 'errors'],
  ui: ['client', 'render', 'protocol', 'errors'],
  render: ['protocol', 'errors'],
  client: ['protocol', 'errors', 'bundle', 'definitions'],
  runtime: ['store', 'brains', 'verdict', 'definitions', 'protocol', 'errors'],
  store: [],
  brains: ['protocol', 'errors', 'regexp'],
  verdict: ['protocol', 'errors'],
  hands: ['live', 'bundle', 'protocol', 'errors', 'definitions', 'regexp'],
  // Live systems behind the bundle's reading interface, gathered with the collector's readers.
  live: ['collect', 'bundle', 'errors'],
  collect: ['bundle', 'errors'],
  bundle: ['errors'],
  definitions: ['protocol', 'errors'],
  protocol: ['errors', 'regexp'],
  errors: [],
  // A leaf: text made literal in a regular expression, for any layer that builds patterns.
  regexp: [],
};

function layerOf(file: string): string {
  const rel = relative(SRC, file);
  const top = rel.split('/')[0] ?? '';
  return top.replace(/\.(tsx?|jsx?)$/, '');
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(name) ? [path] : [];
  });
}

const IMPORT = /(?:import|export)\s[^'"]*?from\s+['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/g;

describe('layer boundaries', () => {
  it('no import goes the wrong way', () => {
    const violations: string[] = [];
    for (const file of sourceFiles(SRC)) {
      const from = layerOf(file);
      const text = readFileSync(file, 'utf8');
      for (const match of text.matchAll(IMPORT)) {
        const spec = match[1] ?? match[2];
        if (!spec) continue;
        const target = resolve(dirname(file), spec);
        if (!target.startsWith(SRC)) continue;
        const to = layerOf(target);
        if (to === from) continue;
        if (!(ALLOWED[from] ?? []).includes(to)) violations.push(`${relative(SRC, file)} → ${spec} (${from} may not import ${to})`);
      }
    }
    expect(violations).toEqual([]);
  });

  it('the runtime reaches the hands only across a process boundary', () => {
    const hands = join(SRC, 'hands');
    const offenders: string[] = [];
    for (const file of sourceFiles(join(SRC, 'runtime'))) {
      for (const match of readFileSync(file, 'utf8').matchAll(IMPORT)) {
        const spec = match[1] ?? match[2];
        if (spec && resolve(dirname(file), spec).startsWith(`${hands}/`)) offenders.push(`${relative(SRC, file)} → ${spec}`);
      }
    }
    expect(offenders).toEqual([]);
  });
});
