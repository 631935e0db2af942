import { describe, expect, it } from 'vitest';
import { renderArgv } from '../../../src/hands/actions/argv.js';
import { parametersSchema, validateParameters } from '../../../src/hands/actions/parameters.js';
import { parseWorkerConfig, type ActionConfig } from '../../../src/hands/worker-config.js';

const action: ActionConfig = parseWorkerConfig({
  bundleRoot: '/b',
  maxOutputChars: 2000,
  actions: [
    {
      name: 'scale',
      kind: 'scale',
      description: 'Scale a deployment.',
      argv: ['kubectl', 'scale', 'deployment/{service}', '--replicas={replicas}', '{dry}', '--namespace', '{namespace}'],
      parameters: {
        service: { type: 'string', pattern: '^[a-z0-9-]+$' },
        replicas: { type: 'integer' },
        namespace: { type: 'string', default: 'production' },
        dry: { type: 'string', required: false, enum: ['--dry-run=client'] },
        fast: { type: 'boolean', required: false },
        ratio: { type: 'number', required: false },
      },
      timeoutMs: 1000,
    },
  ],
}).actions[0] as ActionConfig;

describe('action parameters', () => {
  it('publishes a JSON schema with the required ones', () => {
    const schema = parametersSchema(action);
    expect(schema.required).toEqual(['service', 'replicas']);
    expect(schema.properties['namespace']).toEqual({ type: 'string', default: 'production' });
    expect(schema.additionalProperties).toBe(false);
  });

  it('validates, coerces numerals and applies defaults', () => {
    const result = validateParameters(action, { service: 'checkout', replicas: '4', fast: 'true', ratio: '0.5' });
    expect(result).toEqual({ ok: true, values: { service: 'checkout', replicas: 4, namespace: 'production', fast: true, ratio: 0.5 } });
  });

  it('names what is wrong', () => {
    const errors = [
      validateParameters(action, { replicas: 1 }),
      validateParameters(action, { service: 'Checkout', replicas: 1 }),
      validateParameters(action, { service: 'a', replicas: 1.5 }),
      validateParameters(action, { service: 'a', replicas: 1, dry: '--force' }),
      validateParameters(action, { service: 'a', replicas: 1, extra: 1 }),
      validateParameters(action, { service: 'a\nb', replicas: 1 }),
    ].map((result) => (result.ok ? 'ok' : result.error));
    expect(errors[0]).toMatch(/"service" is required/);
    expect(errors[1]).toMatch(/"service" does not match the pattern/);
    expect(errors[2]).toMatch(/"replicas" must be an integer/);
    expect(errors[3]).toMatch(/"dry" must be one of "--dry-run=client"/);
    expect(errors[4]).toMatch(/unknown parameter "extra"; declared: service, replicas/);
    expect(errors[5]).toMatch(/without control characters/);
  });
});

describe('renderArgv', () => {
  it('fills placeholders inside single elements and drops an absent optional one', () => {
    const rendered = renderArgv(action.argv, { service: 'checkout', replicas: 3, namespace: 'prod' }, action.parameters);
    expect(rendered).toEqual({ ok: true, argv: ['kubectl', 'scale', 'deployment/checkout', '--replicas=3', '--namespace', 'prod'] });
  });

  it('keeps a value with spaces or shell syntax as one element', () => {
    const rendered = renderArgv(['echo', '{msg}'], { msg: 'a b; rm -rf / $(x)' }, { msg: { type: 'string' } });
    expect(rendered).toEqual({ ok: true, argv: ['echo', 'a b; rm -rf / $(x)'] });
  });

  it('refuses a standalone value that would read as an option, unless the definition lists it', () => {
    expect(renderArgv(['kubectl', '{ns}'], { ns: '--kubeconfig=/x' }, { ns: { type: 'string' } })).toMatchObject({ ok: false });
    const listed = renderArgv(action.argv, { service: 'a', replicas: 1, namespace: 'p', dry: '--dry-run=client' }, action.parameters);
    expect(listed.ok && listed.argv).toContain('--dry-run=client');
  });

  it('says which parameter an embedded placeholder needs', () => {
    expect(renderArgv(['x', 'deployment/{service}'], {}, { service: { type: 'string', required: false } })).toEqual({
      ok: false,
      error: 'argv element "deployment/{service}" needs parameter "service", which was not given',
    });
  });
});
