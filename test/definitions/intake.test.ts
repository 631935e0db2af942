// The `intake` section of an environment: routes of the alert intake, parsed with their
// defaults (durations in ms) and refused with the file, the path and what is allowed.
import { describe, expect, it } from 'vitest';
import { definitionHash, parseEnvironmentDefinition } from '../../src/definitions/index.js';
import { issuesOf } from './helpers.js';

const FILE = 'environments/ops.yaml';
const parse = (text: string) => () => parseEnvironmentDefinition(text, FILE);

describe('the intake section', () => {
  it('parses routes: matchers, sources, the window and timeout in milliseconds, limits', () => {
    const environment = parseEnvironmentDefinition(
      [
        'name: ops',
        'credentials: [{ name: kubeconfig, from_env: INCIDENT_KUBECONFIG }]',
        'intake:',
        '  routes:',
        "    - matchers: ['alertname=\"CheckoutLatencyHigh\"', 'severity=~\"page|critical\"']",
        '      prometheus: http://prometheus:9090',
        '      git: [/srv/git/checkout]',
        "      logs: ['kubectl logs deploy/checkout']",
        '      credentials: [kubeconfig]',
        '      window: { before: 2h }',
        '      limits: { points: 120 }',
        '',
      ].join('\n'),
      FILE,
    );
    expect(environment.intake?.routes).toEqual([
      {
        matchers: [
          { label: 'alertname', op: '=', value: 'CheckoutLatencyHigh' },
          { label: 'severity', op: '=~', value: 'page|critical' },
        ],
        prometheus: 'http://prometheus:9090',
        git: ['/srv/git/checkout'],
        git_services: {},
        changes: [],
        logs: ['kubectl logs deploy/checkout'],
        credentials: ['kubeconfig'],
        window: { before_ms: 7_200_000, after_ms: 3_600_000 },
        timeout_ms: 30_000,
        limits: { points: 120 },
      },
    ]);
  });

  it('leaves a definition without it as it was, hash included', () => {
    const bare = parseEnvironmentDefinition('name: bare\n', FILE);
    expect('intake' in bare).toBe(false);
    expect(definitionHash(bare)).toBe(definitionHash(parseEnvironmentDefinition('name: bare\n# no intake\n', FILE)));
  });

  it('refuses a matcher, a URL or a credential it cannot use, saying where', () => {
    expect(issuesOf(parse("name: ops\nintake:\n  routes:\n    - matchers: ['severity=~\"(\"']\n"))).toEqual([
      expect.stringMatching(/^environments\/ops\.yaml:4:18 intake\.routes\[0\]\.matchers\[0\]: its regular expression does not compile/),
    ]);
    expect(issuesOf(parse("name: ops\nintake:\n  routes:\n    - matchers: ['a=b']\n      prometheus: prometheus:9090\n"))).toEqual([
      'environments/ops.yaml:5:19 intake.routes[0].prometheus: must be an http(s) URL (like http://prometheus:9090)',
    ]);
    expect(issuesOf(parse("name: ops\nintake:\n  routes:\n    - matchers: ['a=b']\n      credentials: [kubeconfig]\n"))).toEqual([
      'environments/ops.yaml:5:21 intake.routes[0].credentials[0]: kubeconfig is not a declared credential; add it under credentials with from_env',
    ]);
    expect(issuesOf(parse('name: ops\nintake:\n  routes: []\n'))).toEqual(['environments/ops.yaml:3:11 intake.routes: needs at least one route']);
  });
});
