// A university's SSO answers its token endpoint with 502s. The bundle holds it only as a
// blackbox probe of its host; the portal that paged and an LMS that no change touched both log
// their token requests failing against that host, the LMS at every call where it failed now and
// then before. Registration opened fourteen minutes earlier and the portal's sessions filled, so
// load is at hand; but the lines name the probed host, and the untouched caller fails alike:
// the SSO is the cause. Where only the portal's lines name it, the shared failure is not shown.
import { describe, expect, it } from 'vitest';
import { syntheticRunner, verdict } from './helpers.js';
import { every, patch, type BundleSpec, type SeriesSpec } from './synthetic.js';

const run = syntheticRunner('probed-host-named', { start: '2037-11-16T02:00:00Z', minutes: 150, stepSeconds: 60 });

const probe = { instance: 'https://sso.larchmont.edu/oidc/token', job: 'blackbox-https' };

const series: SeriesSpec[] = [
  { metric: 'http_requests_per_second', service: 'portal', level: 300, noise: 0.04, shifts: [{ at: 86, to: 1300 }] },
  { metric: 'portal_active_sessions', service: 'portal', level: 9000, noise: 0.02, shifts: [{ at: 86, to: 40000 }] },
  { metric: 'http_request_duration_seconds_p99', service: 'portal', level: 0.4, noise: 0.05, shifts: [{ at: 100, to: 1.5 }] },
  { metric: 'auth_login_success_ratio', service: 'portal', level: 0.98, noise: 0.01, shifts: [{ at: 100, to: 0.35 }] },
  { metric: 'auth_login_success_ratio', service: 'lms', level: 0.98, noise: 0.01, shifts: [{ at: 100, to: 0.4 }] },
  { metric: 'probe_duration_seconds', service: 'campus-sso', labels: probe, level: 0.2, noise: 0.05, shifts: [{ at: 100, to: 0.55 }] },
  { metric: 'http_requests_per_second', service: 'seats', level: 50, noise: 0.04, shifts: [{ at: 86, to: 220 }] },
];

const changes: BundleSpec['changes'] = [
  {
    id: 'deploy-portal-55',
    service: 'portal',
    type: 'deploy',
    at: 56,
    summary: 'portal: bump openid-client 5.6.4 -> 5.6.5',
    diff: patch('package.json', ['    "openid-client": "5.6.4",'], ['    "openid-client": "5.6.5",']),
  },
];

const logsWith = (lmsFails: boolean): BundleSpec['logs'] => ({
  portal: [
    ...every(0, 150, 1, 'info', 'login completed'),
    ...every(100.2, 150, 0.3, 'error', 'token exchange failed: OPError: expected 200 OK, got: 502 Bad Gateway issuer=https://sso.larchmont.edu/oidc'),
  ],
  lms: [
    ...every(0, 150, 1, 'info', 'auth_oidc: user logged in'),
    ...(lmsFails ? [...every(20, 100, 40, 'error', 'auth_oidc: token request to https://sso.larchmont.edu/oidc/token failed: HTTP 502'), ...every(100.4, 150, 0.5, 'error', 'auth_oidc: token request to https://sso.larchmont.edu/oidc/token failed: HTTP 502')] : []),
  ],
  seats: every(0, 150, 1, 'info', 'seat held'),
});

const alert = { title: 'PortalLoginSuccessLow', service: 'portal', at: 110 };

describe('a party the bundle holds only as a probe of its host', () => {
  it('is the cause when the callers\' failing lines name the host, and an untouched caller fails alike', async () => {
    const r = await run({ alert, series, changes, logs: logsWith(true) });
    expect(verdict(r)).toMatchObject({ category: 'dependency', service: 'campus-sso', change_id: null });
  });

  it('is not shown shared when only the paged service\'s lines name it', async () => {
    const r = await run({ alert, series, changes, logs: logsWith(false) });
    expect(r.diagnosis?.root_cause.description ?? '').not.toContain('which no change touched');
  });
});
