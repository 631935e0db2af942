// Agent and environment YAML under generated input: the shipped definitions with fields
// changed to wrong values, removed or added, their text damaged, and text that is no
// definition at all. Each either parses to a definition its schema accepts or is refused
// with an InvalidDefinitionError whose every line says `file:line:col` and what is wrong;
// nothing else is ever thrown.
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';
import { expect, it } from 'vitest';
import { InvalidDefinitionError, parseAgentDefinition, parseEnvironmentDefinition } from '../../src/definitions/index.js';
import { damaged } from './bundle-arbitraries.js';
import { fcParameters, type FuzzSize } from './seed.js';

const AGENT = readFileSync('agents/sre.yaml', 'utf8');
const ENVIRONMENT = readFileSync('environments/local.yaml', 'utf8');
const LABEL = 'fuzz/definition.yaml';

type Tree = unknown;

/** Every path to a value in a parsed document. */
function paths(tree: Tree, prefix: Array<string | number> = []): Array<Array<string | number>> {
  if (Array.isArray(tree)) return [prefix, ...tree.flatMap((item, index) => paths(item, [...prefix, index]))];
  if (tree !== null && typeof tree === 'object') return [prefix, ...Object.entries(tree).flatMap(([key, value]) => paths(value, [...prefix, key]))];
  return [prefix];
}

type Edit = { kind: 'set'; value: unknown } | { kind: 'delete' } | { kind: 'add'; key: string; value: unknown };

/** Applies one edit at `path` of a copy of the tree. */
function edited(tree: Tree, path: ReadonlyArray<string | number>, edit: Edit): Tree {
  const copy = structuredClone(tree) as Record<string | number, unknown>;
  if (path.length === 0) return edit.kind === 'set' ? edit.value : copy;
  let parent: Record<string | number, unknown> = copy;
  for (const step of path.slice(0, -1)) parent = parent[step] as Record<string | number, unknown>;
  const last = path.at(-1) as string | number;
  if (edit.kind === 'set') parent[last] = edit.value;
  else if (edit.kind === 'delete') {
    if (Array.isArray(parent)) parent.splice(Number(last), 1);
    else delete parent[last];
  } else {
    const target = parent[last];
    if (target !== null && typeof target === 'object' && !Array.isArray(target)) (target as Record<string, unknown>)[edit.key] = edit.value;
  }
  return copy;
}

const value = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.constantFrom('', ' ', '30s', '-1s', '5m', '0', 'eager', 'lazy', 'always_ask', 'always_allow', 'PATH', 'a'.repeat(300), '{service}', '{nope}', 'rm -rf /', '$HOME'),
  fc.integer({ min: -5, max: 100_000 }),
);
const edit: fc.Arbitrary<Edit> = fc.oneof(
  { weight: 4, arbitrary: value.map((next) => ({ kind: 'set' as const, value: next })) },
  { weight: 2, arbitrary: fc.constant({ kind: 'delete' as const }) },
  { weight: 1, arbitrary: fc.tuple(fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('timeout', 'argv', 'credentials', 'env')), value).map(([key, next]) => ({ kind: 'add' as const, key, value: next })) },
);

/** The shipped definition with a few fields changed, as YAML; sometimes damaged as text too. */
function variants(source: string): fc.Arbitrary<string> {
  const tree = parse(source) as Tree;
  const all = paths(tree);
  const changed = fc.array(fc.tuple(fc.constantFrom(...all), edit), { minLength: 1, maxLength: 3 }).map((edits) => {
    let next = tree;
    for (const [path, change] of edits) {
      try {
        next = edited(next, path, change);
      } catch {
        // An earlier edit removed what this path led through: skip it.
      }
    }
    return stringify(next);
  });
  return fc.oneof(
    { weight: 6, arbitrary: damaged(changed) },
    { weight: 2, arbitrary: damaged(fc.constant(source)) },
    { weight: 1, arbitrary: fc.string({ maxLength: 200 }) },
    { weight: 1, arbitrary: fc.constantFrom('', '---', '- a\n- b', 'name: [', '&a [*a]', 'a: &x 1\nb: *y', '\t', 'name: x\nname: y', '{"name": 1}') },
  );
}

function expectParsedOrRefused(parse: () => { name: string }): 'parsed' | 'refused' {
  try {
    const definition = parse();
    expect(typeof definition.name).toBe('string');
    expect(definition.name.length).toBeGreaterThan(0);
    return 'parsed';
  } catch (error) {
    expect(error, String(error instanceof Error ? error.stack : error)).toBeInstanceOf(InvalidDefinitionError);
    const refusal = error as InvalidDefinitionError;
    expect(refusal.issues.length).toBeGreaterThan(0);
    for (const issue of refusal.issues) {
      expect(issue.startsWith(LABEL), issue).toBe(true);
      expect(issue, issue).toMatch(/^fuzz\/definition\.yaml:\d+:\d+ \S/);
      expect(issue).not.toMatch(/\n\s+at |\[object Object\]/);
    }
    expect(refusal.oneLine()).toContain('incident ');
    return 'refused';
  }
}

/** Declares the definition properties as tests, `size.runs` cases each. */
export function fuzzDefinitions(size: FuzzSize): void {
  for (const [kind, source, parseDefinition] of [
    ['agent', AGENT, parseAgentDefinition],
    ['environment', ENVIRONMENT, parseEnvironmentDefinition],
  ] as const) {
    it(`parses or refuses, with positions, any ${kind} definition`, () => {
      const seen = { parsed: 0, refused: 0 };
      fc.assert(
        fc.property(variants(source), (text) => {
          seen[expectParsedOrRefused(() => parseDefinition(text, LABEL))] += 1;
        }),
        fcParameters(size, `${kind} definitions`),
      );
      console.info(`${kind} definitions: ${size.runs} cases, ${seen.parsed} parsed, ${seen.refused} refused, 0 failures`);
      // Both ends must be reached, or the generator proves little.
      expect(seen.parsed).toBeGreaterThan(0);
      expect(seen.refused).toBeGreaterThan(size.runs / 4);
    });
  }
}
