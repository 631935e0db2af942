import { describe, expect, it } from 'vitest';
import { DRY_RUN_META as WORKER_DRY_RUN_META } from '../../../src/hands/served-tool.js';
import { COMPILE_CACHE_ENV as WORKER_COMPILE_CACHE_ENV, CONFIG_ENV, parseWorkerConfig, type WorkerConfig, type WorkerConfigInput } from '../../../src/hands/worker-config.js';
import { splitEnvironment } from '../../../src/hands/server.js';
import { COMPILE_CACHE_ENV } from '../../../src/runtime/hands/config.js';
import { buildWorkerEnv, DRY_RUN_META, HANDS_CONFIG_ENV, type HandsConfigJson } from '../../../src/runtime/hands/index.js';
import { testConfig } from '../../hands/worker/fixtures.js';

describe('buildWorkerEnv', () => {
  const parent = {
    PATH: '/usr/bin',
    HOME: '/home/oncall',
    LC_ALL: 'C.UTF-8',
    LC_TIME: 'en_GB.UTF-8',
    ANTHROPIC_API_KEY: 'sk-ant-real-key-000000000000',
    INCIDENT_CANARY: 'sk-ant-canary-1234567890abcdef',
    INCIDENT_DEPLOY_TOKEN: 'tok-123456',
    AWS_SECRET_ACCESS_KEY: 'aws-secret',
    UNSET: undefined,
  };

  it('passes only the allow-listed variables', () => {
    expect(buildWorkerEnv(parent, ['PATH', 'HOME', 'TZ', 'UNSET'], [])).toEqual({ PATH: '/usr/bin', HOME: '/home/oncall' });
  });

  it('admits a prefix with a trailing *', () => {
    expect(buildWorkerEnv(parent, ['LC_*'], [])).toEqual({ LC_ALL: 'C.UTF-8', LC_TIME: 'en_GB.UTF-8' });
  });

  it('adds declared credentials under their declared names, and nothing else', () => {
    const env = buildWorkerEnv(parent, ['PATH'], [
      { name: 'deploy_token', fromEnv: 'INCIDENT_DEPLOY_TOKEN' },
      { name: 'absent', fromEnv: 'NOT_SET_ANYWHERE' },
    ]);
    expect(env).toEqual({ PATH: '/usr/bin', deploy_token: 'tok-123456' });
  });

  it('never passes the API key, even when asked to', () => {
    const env = buildWorkerEnv(parent, ['ANTHROPIC_API_KEY', 'PATH'], [{ name: 'key', fromEnv: 'ANTHROPIC_API_KEY' }]);
    expect(env).toEqual({ PATH: '/usr/bin' });
    expect(JSON.stringify(env)).not.toContain('sk-ant');
  });
});

describe('the worker configuration contract', () => {
  it('host and worker agree on the shape and the names', () => {
    // Compile-time: the host's JSON is what the worker reads, and the worker's parsed form is valid host JSON.
    const asInput = (config: HandsConfigJson): WorkerConfigInput => config;
    const asJson = (config: WorkerConfig): HandsConfigJson => config;
    const json: HandsConfigJson = testConfig({ bundleRoot: '/tmp/bundle', withEverything: true });
    const parsed = parseWorkerConfig(asInput(json));
    expect(asJson(parsed).actions?.map((action) => action.name)).toContain('rollback');
    expect(HANDS_CONFIG_ENV).toBe(CONFIG_ENV);
    expect(DRY_RUN_META).toBe(WORKER_DRY_RUN_META);
    expect(COMPILE_CACHE_ENV).toBe(WORKER_COMPILE_CACHE_ENV);
  });

  it('keeps the compile cache the host set for the worker out of what the worker starts', () => {
    const config = parseWorkerConfig(testConfig({ bundleRoot: '/tmp/bundle' }));
    const { baseEnv } = splitEnvironment(config, { PATH: '/usr/bin', [COMPILE_CACHE_ENV]: '/home/oncall/.cache/incident/compile', [CONFIG_ENV]: '{}' });
    expect(baseEnv).toEqual({ PATH: '/usr/bin' });
  });

  it('rejects an argv placeholder that names no parameter, and a command that is a parameter', () => {
    const base = { bundleRoot: '/b', maxOutputChars: 2000 };
    const action = { name: 'x', description: 'x', timeoutMs: 1000 };
    expect(() => parseWorkerConfig({ ...base, actions: [{ ...action, argv: ['kubectl', '{nope}'] }] })).toThrow(/\{nope\}, which is not a declared parameter/);
    expect(() =>
      parseWorkerConfig({ ...base, actions: [{ ...action, argv: ['{cmd}'], parameters: { cmd: { type: 'string' } } }] }),
    ).toThrow(/argv\[0\]\) must be fixed/);
    expect(() => parseWorkerConfig({ ...base, actions: [{ ...action, argv: ['true'], credentials: ['ghost'] }] })).toThrow(/credential "ghost"/);
  });
});
