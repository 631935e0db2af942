import { beforeAll, describe, expect, it } from 'vitest';
import { SRE_TOOL_NAMES } from '../../../src/protocol/tools.js';
import { z } from 'zod';
import { ErrorResultSchema, ReadFileResultSchema } from '../../../src/protocol/results/index.js';
import { defineTool } from '../../../src/hands/tools/define.js';
import { outputSchemaOf, SRE_TOOLS, toolByName, toolSpecs } from '../../../src/hands/tools/index.js';
import { call, contextFor, writeBundle } from './helpers/bundle.js';
import type { ToolContext } from '../../../src/hands/tool.js';

let context: ToolContext;

beforeAll(async () => {
  context = await contextFor(await writeBundle());
});

const diagnosis = {
  summary: 'deploy-4821 removed the cart cache; checkout latency rose at 14:02.',
  root_cause: { category: 'deploy', service: 'checkout', change_id: 'deploy-4821', description: 'cache removed' },
  confidence: 0.8,
  evidence: [{ source: 'diffs', ref: 'diffs/deploy-4821.patch:28', detail: 'cache lookup removed' }],
  remediation: [{ action: 'rollback', target: 'deploy-4821', detail: 'roll back', risk: 'low' }],
  timeline: [{ at: '2026-11-20T13:58:00Z', event: 'deploy-4821' }],
};

describe('the SRE toolset', () => {
  it('has every tool, in the shared order, findable by name', () => {
    expect(SRE_TOOLS.map((t) => t.name)).toEqual([...SRE_TOOL_NAMES]);
    expect(toolByName('search_logs')?.name).toBe('search_logs');
    expect(toolByName('nope')).toBeUndefined();
    for (const tool of SRE_TOOLS) expect(tool.description.length, tool.name).toBeGreaterThan(150);
  });

  it('publishes object JSON schemas whose required fields are the ones without defaults', () => {
    const specs = Object.fromEntries(toolSpecs().map((s) => [s.name, s]));
    expect(Object.keys(specs)).toEqual([...SRE_TOOL_NAMES]);
    for (const spec of Object.values(specs)) {
      expect(spec.input_schema.type).toBe('object');
      expect(spec.input_schema.$schema).toBeUndefined();
    }
    expect(specs.search_logs?.input_schema.required).toEqual(['pattern']);
    expect(specs.query_metrics?.input_schema.required ?? []).toEqual([]);
    expect(specs.read_file?.input_schema.required).toEqual(['path']);
    expect(specs.submit_diagnosis?.input_schema.required).toEqual(expect.arrayContaining(['summary', 'root_cause', 'confidence']));
    expect(Object.keys(specs.detect_changes?.input_schema.properties ?? {})).toEqual(expect.arrayContaining(['series', 'service', 'match', 'min_z']));
  });

  it('validates input and says which argument is wrong', async () => {
    const { isError, json } = await call(toolByName('search_logs')!, { pattern: 'x', max_matches: 'many' }, context);
    expect(isError).toBe(true);
    expect(json.error).toContain('max_matches');
  });

  it('echoes a valid hypothesis and diagnosis, and rejects invalid ones', async () => {
    const hypothesis = await call(toolByName('note_hypothesis')!, { id: 'h1', statement: 'deploy-4821 caused it', status: 'supported', change_id: 'deploy-4821' }, context);
    expect(hypothesis.isError).toBe(false);
    expect(hypothesis.json.hypothesis).toMatchObject({ id: 'h1', status: 'supported', evidence: [] });
    expect(hypothesis.json.summary).toBe('hypothesis h1 (supported): deploy-4821 caused it');

    const accepted = await call(toolByName('submit_diagnosis')!, diagnosis, context);
    expect(accepted.isError).toBe(false);
    expect(accepted.json.diagnosis).toEqual(diagnosis);
    expect(accepted.json.summary).toBe('diagnosis: deploy (deploy-4821) in checkout, confidence 0.8');

    const rejected = await call(toolByName('submit_diagnosis')!, { ...diagnosis, confidence: 2 }, context);
    expect(rejected.isError).toBe(true);
    expect(rejected.json.error).toContain('confidence');
  });
});

describe('bounded output', () => {
  it('says a request cannot be served within a limit smaller than its frame, rather than cutting the result off its schema', async () => {
    const { isError, json } = await call(toolByName('search_logs')!, { pattern: 'timeout' }, { ...context, limits: { maxOutputChars: 300 } });
    expect(isError).toBe(true);
    expect(json.error).toContain('too long for the output limit (300 characters)');
    expect(json.hint).toContain('narrow the request');
  });
});

describe('the output contract', () => {
  it('serves every tool\'s output schema as an object JSON schema', () => {
    for (const tool of SRE_TOOLS) {
      const schema = outputSchemaOf(tool);
      expect(schema.type, tool.name).toBe('object');
      expect(schema.$schema, tool.name).toBe('http://json-schema.org/draft-07/schema#');
      expect(Object.keys(schema.properties as object), tool.name).toContain('summary');
    }
  });

  it('turns a result that does not match the output schema into an error result that says it is a bug', async () => {
    const broken = defineTool({
      name: 'read_file',
      description: 'returns a result its schema does not allow',
      inputSchema: z.object({}),
      outputSchema: ReadFileResultSchema,
      async run() {
        return { summary: 'x', path: 'a', ref: 'a:1-1', total_lines: -1, lines: [] };
      },
    });
    const result = await broken.run({}, context);
    expect(result.isError).toBe(true);
    expect(result.structured).toBeUndefined();
    const error = ErrorResultSchema.parse(JSON.parse(result.text));
    expect(error.error).toContain('does not match its output schema (total_lines');
    expect(error.error).toContain('a bug in the tool');
  });

  it('checks a result as a client reads it: a number JSON cannot carry fails the schema', async () => {
    const broken = defineTool({
      name: 'read_file',
      description: 'returns NaN, which JSON turns into null',
      inputSchema: z.object({}),
      outputSchema: ReadFileResultSchema,
      async run() {
        return { summary: 'x', path: 'a', ref: 'a:1-1', total_lines: Number.NaN, lines: [] };
      },
    });
    expect((await broken.run({}, context)).isError).toBe(true);
  });
});
