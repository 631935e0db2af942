// An environment's `sources` from YAML to the worker: checked at load (a clear line for a
// relative repository path, a window that is no time, a credential not declared), and
// carried in the configuration every host gives the hands (the runtime's worker, the
// client's, `incident worker`), which the worker accepts.
import { describe, expect, it } from 'vitest';
import { parseEnvironmentDefinition } from '../../src/definitions/index.js';
import { parseWorkerConfig } from '../../src/hands/worker-config.js';
import { handsConfigFromEnvironment } from '../../src/runtime/environment-hands.js';

const BASE = ['name: live', 'credentials:', '  - { name: logs_token, from_env: TEST_LOGS_TOKEN }'];

function parse(sources: string[]): ReturnType<typeof parseEnvironmentDefinition> {
  return parseEnvironmentDefinition([...BASE, 'sources:', ...sources.map((line) => `  ${line}`), ''].join('\n'), 'live.yaml');
}

describe('the sources of an environment', () => {
  it('reach the worker configuration, which the worker accepts', () => {
    const definition = parse([
      'prometheus: http://127.0.0.1:9090',
      'service: checkout',
      'git: [/srv/repos/checkout]',
      "logs: ['checkout=kubectl logs deploy/checkout']",
      'credentials: [logs_token]',
      'window: { since: alert-1h, until: now }',
      'timeout: 5s',
      'limits: { points: 60, log_bytes: 4096 }',
    ]);
    const config = parseWorkerConfig(handsConfigFromEnvironment(definition, '/tmp/bundle'));
    expect(config.live).toEqual({
      prometheus: 'http://127.0.0.1:9090',
      service: 'checkout',
      git: ['/srv/repos/checkout'],
      gitServices: {},
      logs: ['checkout=kubectl logs deploy/checkout'],
      credentials: ['logs_token'],
      since: 'alert-1h',
      until: 'now',
      timeoutMs: 5_000,
      limits: { points: 60, logBytes: 4096 },
    });
  });

  it('default to the last three hours; an environment without them has no live part', () => {
    expect(parseWorkerConfig(handsConfigFromEnvironment(parse(['service: checkout']), '/tmp/b')).live).toMatchObject({ since: '3h', until: 'now', timeoutMs: 30_000 });
    expect(handsConfigFromEnvironment(parseEnvironmentDefinition(BASE.join('\n'), 'plain.yaml'), '/tmp/b').live).toBeUndefined();
  });

  it.each([
    [['git: [repos/checkout]'], 'sources.git[0]', 'must be an absolute path'],
    [['window: { since: yesterday }'], 'sources.window.since', 'must be a duration ago (3h)'],
    [['credentials: [kube_token]'], 'sources.credentials[0]', 'kube_token is not a declared credential'],
    [['prometheus: prom:9090'], 'sources.prometheus', 'must be an http(s) URL'],
  ])('refuse %j with a line naming the field', (sources, field, message) => {
    let said = '';
    try {
      parse(sources);
    } catch (error) {
      said = (error as Error).message;
    }
    expect(said).toContain(field);
    expect(said).toContain(message);
  });
});
