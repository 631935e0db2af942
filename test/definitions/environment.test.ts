import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration, parseEnvironmentDefinition, placeholderNames } from '../../src/definitions/index.js';
import { ENVIRONMENT, issuesOf } from './helpers.js';

const FILE = 'environments/local.yaml';
const parse = (text: string) => () => parseEnvironmentDefinition(text, FILE);
/** ENVIRONMENT with its one parameter line replaced. */
const withParameter = (line: string) => ENVIRONMENT.replace('      service: { type: string }', line);

describe('parseEnvironmentDefinition', () => {
  it('fills in every default, durations in milliseconds', () => {
    expect(parseEnvironmentDefinition('name: bare\n', FILE)).toEqual({
      name: 'bare',
      description: '',
      mounts: { root: '/mnt/session/uploads' },
      worker: { start: 'lazy', call_timeout_ms: 30_000, idle_timeout_ms: 300_000, max_output_chars: 16_000, max_upload_bytes: 2_147_483_648 },
      env: { allow: ['PATH', 'HOME', 'LANG', 'LC_ALL', 'TZ', 'TMPDIR'] },
      credentials: [],
      actions: [],
      mcp_servers: [],
    });
  });

  it('parses actions: resolved required flags, timeout_ms, argv as text', () => {
    const text = [
      'name: local',
      'worker: { call_timeout: 1m30s, start: eager }',
      'credentials: [{ name: deploy_token, from_env: INCIDENT_DEPLOY_TOKEN }]',
      'actions:',
      '  - name: scale',
      '    kind: scale',
      '    description: Scale a deployment.',
      '    argv: [kubectl, scale, "deployment/{service}", "--replicas={replicas}", --timeout, 30, "{dry_run}"]',
      '    parameters:',
      '      service: { type: string, pattern: "^[a-z-]+$" }',
      '      replicas: { type: integer, default: 2 }',
      '      dry_run: { type: string, enum: [--dry-run=client], required: false }',
      '    timeout: 2m',
      '    credentials: [deploy_token]',
      '',
    ].join('\n');
    const environment = parseEnvironmentDefinition(text, FILE);
    expect(environment.worker).toEqual({ start: 'eager', call_timeout_ms: 90_000, idle_timeout_ms: 300_000, max_output_chars: 16_000, max_upload_bytes: 2_147_483_648 });
    expect(environment.actions).toEqual([
      {
        name: 'scale',
        kind: 'scale',
        description: 'Scale a deployment.',
        argv: ['kubectl', 'scale', 'deployment/{service}', '--replicas={replicas}', '--timeout', '30', '{dry_run}'],
        parameters: {
          service: { type: 'string', pattern: '^[a-z-]+$', required: true },
          replicas: { type: 'integer', default: 2, required: false },
          dry_run: { type: 'string', enum: ['--dry-run=client'], required: false },
        },
        timeout_ms: 120_000,
        credentials: ['deploy_token'],
      },
    ]);
  });

  it('takes mcp servers with their env values as text', () => {
    const environment = parseEnvironmentDefinition('name: x\nmcp_servers:\n  - { name: metrics, command: npx, args: [server, 9090], env: { PORT: 8080 } }\n', FILE);
    expect(environment.mcp_servers).toEqual([{ name: 'metrics', command: 'npx', args: ['server', '9090'], env: { PORT: '8080' } }]);
  });

  it('rejects an argv placeholder that names no parameter', () => {
    expect(issuesOf(parse(ENVIRONMENT.replace('{service}', '{svc}')))).toEqual([
      'environments/local.yaml:6:36 actions[0].argv[3]: {svc} is not a parameter of action rollback (declared: service)',
    ]);
    const none = ENVIRONMENT.replace('    parameters:\n      service: { type: string }\n', '');
    expect(issuesOf(parse(none))).toEqual([
      'environments/local.yaml:6:36 actions[0].argv[3]: {service} is not a parameter of action rollback (it declares none)',
    ]);
  });

  it('leaves braces that hold no plain name as written', () => {
    const text = ENVIRONMENT.replace('"deployment/{service}"', '"-o=jsonpath={.items[0].metadata.name}", "{service}"');
    expect(parseEnvironmentDefinition(text, FILE).actions[0]?.argv[3]).toBe('-o=jsonpath={.items[0].metadata.name}');
    expect(placeholderNames('--x={a}/{b_2}{.c}{}')).toEqual(['a', 'b_2']);
  });

  it('never lets a parameter choose the program', () => {
    expect(issuesOf(parse(ENVIRONMENT.replace('[kubectl, rollout', '["{service}", rollout')))).toEqual([
      'environments/local.yaml:6:12 actions[0].argv[0]: must be a fixed program: a parameter may fill in its arguments, never choose what runs',
    ]);
  });

  it('lets an optional parameter without a default stand only alone in its element', () => {
    const optional = withParameter('      service: { type: string, required: false }');
    expect(issuesOf(parse(optional))).toEqual([
      'environments/local.yaml:6:36 actions[0].argv[3]: {service} is optional without a default, so it may only stand alone as a whole argv element; give service a default, make it required, or make it its own element',
    ]);
    expect(parseEnvironmentDefinition(optional.replace('"deployment/{service}"', '"{service}"'), FILE).actions[0]?.parameters['service']?.required).toBe(false);
  });

  it('checks each parameter against its own type', () => {
    expect(issuesOf(parse(withParameter('      service: { type: integer, default: "a" }')))).toEqual([
      "environments/local.yaml:8:42 actions[0].parameters.service.default: must be a whole number, like the parameter's type",
    ]);
    expect(issuesOf(parse(withParameter('      service: { type: integer, pattern: "^[0-9]+$" }')))).toEqual([
      'environments/local.yaml:8:42 actions[0].parameters.service.pattern: applies only to type string (this parameter is integer)',
    ]);
    expect(issuesOf(parse(withParameter('      service: { type: string, enum: [a, 3] }')))).toEqual([
      "environments/local.yaml:8:42 actions[0].parameters.service.enum[1]: must be a string, like the parameter's type",
    ]);
    expect(issuesOf(parse(withParameter('      service: { type: string, enum: [a, b], default: c }')))).toEqual([
      'environments/local.yaml:8:55 actions[0].parameters.service.default: must be one of the enum values: a or b',
    ]);
    expect(issuesOf(parse(withParameter('      service: { type: string, pattern: "^[a-z]+$", default: A1 }')))).toEqual([
      'environments/local.yaml:8:62 actions[0].parameters.service.default: must match the pattern ^[a-z]+$',
    ]);
    const [badPattern] = issuesOf(parse(withParameter('      service: { type: string, pattern: "(" }')));
    expect(badPattern).toMatch(/^environments\/local\.yaml:8:41 actions\[0\]\.parameters\.service\.pattern: must be a valid regular expression \(.+\)$/);
    expect(issuesOf(parse(withParameter('      service: { type: text }')))).toEqual([
      'environments/local.yaml:8:24 actions[0].parameters.service.type: must be string, integer, number or boolean',
    ]);
    expect(issuesOf(parse(withParameter('      service: { default: [a] }')))).toEqual([
      'environments/local.yaml:8:27 actions[0].parameters.service.default: must be a string, a number, or true or false, not a list',
    ]);
  });

  it('points a badly named parameter at its key', () => {
    expect(issuesOf(parse(withParameter('      Service: { type: string }')))).toEqual([
      'environments/local.yaml:8:7 actions[0].parameters.Service: must be lowercase letters, digits and underscores, starting with a letter (like service)',
    ]);
  });

  it('checks action names and kinds', () => {
    expect(issuesOf(parse(ENVIRONMENT.replace('name: rollback', 'name: Roll-back')))).toEqual([
      'environments/local.yaml:3:11 actions[0].name: must be lowercase letters, digits and underscores, starting with a letter (like rollback)',
    ]);
    expect(issuesOf(parse(ENVIRONMENT.replace('kind: rollback', 'kind: nuke')))).toEqual([
      'environments/local.yaml:4:11 actions[0].kind: must be rollback, revert_config, disable_flag, scale, failover, restart or other',
    ]);
    const twice = `${ENVIRONMENT}  - { name: rollback, kind: other, description: Again., argv: [true] }\n`;
    expect(issuesOf(parse(twice))).toEqual(['environments/local.yaml:9:13 actions[1].name: action rollback is already listed at actions[0]; names must be unique']);
  });

  it('gives actions only declared credentials', () => {
    expect(issuesOf(parse(`${ENVIRONMENT}    credentials: [deploy_token]\n`))).toEqual([
      'environments/local.yaml:9:19 actions[0].credentials[0]: deploy_token is not a declared credential (none are declared); add it under credentials with from_env',
    ]);
    const declared = `credentials:\n  - { name: kube_token, from_env: KUBE_TOKEN }\n${ENVIRONMENT.replace('name: local\n', 'name: local\n')}    credentials: [deploy_token]\n`;
    expect(issuesOf(parse(declared))).toEqual([
      'environments/local.yaml:11:19 actions[0].credentials[0]: deploy_token is not a declared credential (declared: kube_token); add it under credentials with from_env',
    ]);
  });

  it('keeps secrets out of env.allow and says where they belong', () => {
    const text = `${ENVIRONMENT}env:\n  allow: [PATH, GITHUB_TOKEN, ANTHROPIC_API_KEY, db_password, 9LIVES]\n`;
    expect(issuesOf(parse(text))).toEqual([
      'environments/local.yaml:10:17 env.allow[1]: GITHUB_TOKEN looks like a secret, and the worker never inherits secrets; declare it under credentials (name and from_env) and list it on the actions that need it',
      'environments/local.yaml:10:31 env.allow[2]: ANTHROPIC_API_KEY must never reach the worker: only the brain uses the API key, and the hands never see it',
      'environments/local.yaml:10:50 env.allow[3]: db_password looks like a secret, and the worker never inherits secrets; declare it under credentials (name and from_env) and list it on the actions that need it',
      'environments/local.yaml:10:63 env.allow[4]: must be an environment variable name (letters, digits and underscores, not starting with a digit)',
    ]);
  });

  it('checks credential sources and names', () => {
    expect(issuesOf(parse('name: x\ncredentials:\n  - name: deploy_token\n    from_env: 1TOKEN\n'))).toEqual([
      'environments/local.yaml:4:15 credentials[0].from_env: must be an environment variable name (letters, digits and underscores, not starting with a digit)',
    ]);
    expect(issuesOf(parse('name: x\ncredentials:\n  - name: api\n    from_env: ANTHROPIC_API_KEY\n'))).toEqual([
      "environments/local.yaml:4:15 credentials[0].from_env: ANTHROPIC_API_KEY is the brain's key; an action may never receive it",
    ]);
    expect(issuesOf(parse('name: x\ncredentials:\n  - { name: home, from_env: MY_HOME }\n'))).toEqual([
      'environments/local.yaml:3:13 credentials[0].name: home reaches actions as HOME, which env.allow already passes through; choose another name',
    ]);
    expect(issuesOf(parse('name: x\ncredentials:\n  - { name: t, from_env: A }\n  - { name: t, from_env: B }\n'))).toEqual([
      'environments/local.yaml:4:13 credentials[1].name: credential t is already listed at credentials[0]; names must be unique',
    ]);
  });

  it('parses durations with bounds', () => {
    expect(issuesOf(parse('name: x\nworker:\n  call_timeout: 30\n'))).toEqual([
      'environments/local.yaml:3:17 worker.call_timeout: must be a duration such as 500ms, 30s, 2m or 1h (from 100ms to 1h)',
    ]);
    expect(issuesOf(parse('name: x\nworker:\n  call_timeout: 30h\n'))).toEqual(['environments/local.yaml:3:17 worker.call_timeout: must be from 100ms to 1h']);
    expect(issuesOf(parse(`${ENVIRONMENT}    timeout: soon\n`))).toEqual([
      'environments/local.yaml:9:14 actions[0].timeout: must be a duration such as 500ms, 30s, 2m or 1h (from 1s to 1h)',
    ]);
    expect(issuesOf(parse('name: x\nworker:\n  max_output_chars: 10\n'))).toEqual([
      'environments/local.yaml:3:21 worker.max_output_chars: must be a whole number from 1000 to 1000000',
    ]);
  });

  it('checks the mount root, worker start and mcp server names', () => {
    expect(issuesOf(parse('name: x\nmounts: { root: uploads }\n'))).toEqual([
      'environments/local.yaml:2:17 mounts.root: must be an absolute path without .. (like /mnt/session/uploads)',
    ]);
    expect(issuesOf(parse('name: x\nworker: { start: now }\n'))).toEqual(['environments/local.yaml:2:18 worker.start: must be lazy or eager']);
    expect(issuesOf(parse('name: x\nmcp_servers:\n  - { name: m, command: a }\n  - { name: m, command: b }\n'))).toEqual([
      'environments/local.yaml:4:13 mcp_servers[1].name: MCP server m is already listed at mcp_servers[0]; names must be unique',
    ]);
  });

  it('says what the file should hold when it is not a map', () => {
    expect(issuesOf(parse('just text\n'))).toEqual([
      'environments/local.yaml:1:1 an environment definition must be a YAML map with at least name, not "just text"',
    ]);
  });
});

describe('durations', () => {
  it('reads units and compounds, and formats back', () => {
    expect(parseDuration('500ms')).toBe(500);
    expect(parseDuration('30s')).toBe(30_000);
    expect(parseDuration('2m')).toBe(120_000);
    expect(parseDuration('1h')).toBe(3_600_000);
    expect(parseDuration('1m30s')).toBe(90_000);
    expect(parseDuration('1.5s')).toBe(1_500);
    expect(parseDuration('30')).toBeUndefined();
    expect(parseDuration('30 s')).toBeUndefined();
    expect(parseDuration('s')).toBeUndefined();
    expect(formatDuration(90_000)).toBe('1m30s');
    expect(formatDuration(100)).toBe('100ms');
    expect(formatDuration(3_600_000)).toBe('1h');
  });
});

describe('YAML conveniences', () => {
  it('lets anchors and merge keys share parameter definitions', () => {
    const text = [
      'name: local',
      'actions:',
      '  - name: restart',
      '    kind: restart',
      '    description: Restart.',
      '    argv: [kubectl, rollout, restart, "deployment/{service}", -n, "{namespace}"]',
      '    parameters: &target',
      '      service: { type: string }',
      '      namespace: { type: string, default: production }',
      '  - name: scale',
      '    kind: scale',
      '    description: Scale.',
      '    argv: [kubectl, scale, "deployment/{service}", -n, "{namespace}", "--replicas={replicas}"]',
      '    parameters:',
      '      <<: *target',
      '      replicas: { type: integer }',
      '',
    ].join('\n');
    const [restart, scale] = parseEnvironmentDefinition(text, FILE).actions;
    expect(Object.keys(scale?.parameters ?? {}).sort()).toEqual(['namespace', 'replicas', 'service']);
    expect(scale?.parameters['namespace']).toEqual(restart?.parameters['namespace']);
  });
});
