// A text-message provider outside the bundle fails at 100, and the service that sends the
// one-time codes through it, which probes it every minute, sees its probe and its sends fail;
// logins that need a texted code fail with them. The sender's own release at 86 changed the
// message's template, passing the code to it as a struct field (`Code: code,`): the word `code`
// in the provider's error bodies is no value that release set. The dependency is the provider
// the probe names, not the service that runs the probe, and no change is blamed.
import { describe, expect, it } from 'vitest';
import { syntheticRunner, verdict } from './helpers.js';
import { every, patch } from './synthetic.js';

const run = syntheticRunner('provider-probed-by-caller', { start: '2036-09-15T14:00:00Z', minutes: 150, stepSeconds: 30 });

const templateRelease = patch(
  'internal/sms/sender.go',
  ['\tif err := tmpl.Execute(&body, smsData{Brand: tenant.Brand, Code: code}); err != nil {'],
  ['\tdata := smsData{', '\t\tBrand:  tenant.Brand,', '\t\tCode:   code,', '\t\tOrigin: tenant.Origin,', '\t}', '\tif err := webOTP.Execute(&body, data); err != nil {'],
);

describe('a provider probed by the service that calls it', () => {
  it('is the dependency, named by the probe, and the caller\'s release is not blamed', async () => {
    const r = await run({
      alert: { title: 'login success below 85%', service: 'auth-api', at: 110 },
      series: [
        { metric: 'login_success_ratio', service: 'auth-api', level: 0.97, noise: 0.01, shifts: [{ at: 100.5, to: 0.62 }] },
        { metric: 'http_request_duration_seconds_p99', service: 'auth-api', level: 0.45, noise: 0.05, shifts: [{ at: 100.5, to: 2.6 }] },
        { metric: 'mfa_provider_probe_success_ratio', service: 'mfa-service', labels: { provider: 'smsco' }, level: 0.996, noise: 0.002, shifts: [{ at: 99.5, to: 0.45 }] },
        { metric: 'mfa_provider_errors_per_second', service: 'mfa-service', labels: { provider: 'smsco', code: '503' }, level: 0.01, noise: 0.2, shifts: [{ at: 100, to: 4 }] },
        { metric: 'mfa_challenges_completed_per_second', service: 'mfa-service', labels: { channel: 'totp' }, level: 12, noise: 0.05 },
        { metric: 'mfa_challenges_completed_per_second', service: 'mfa-service', labels: { channel: 'sms' }, level: 9, noise: 0.05, shifts: [{ at: 100, to: 3 }] },
      ],
      changes: [
        { id: 'deploy-3371', service: 'auth-api', type: 'deploy', at: 53, summary: 'auth-api: session cookie SameSite=Lax', diff: patch('src/session.ts', ["  sameSite: 'strict',"], ["  sameSite: 'lax',"]) },
        { id: 'deploy-3380', service: 'mfa-service', type: 'deploy', at: 86, summary: 'mfa-service: origin-bound SMS OTP format (WebOTP)', diff: templateRelease },
      ],
      logs: {
        'auth-api': [...every(0, 150, 0.5, 'info', 'login ok'), ...every(100.5, 150, 0.5, 'warn', 'mfa not completed channel=sms reason=delivery_failed')],
        'mfa-service': [
          ...every(0, 150, 0.5, 'info', 'otp sent channel=sms provider=smsco'),
          ...every(100, 150, 0.4, 'error', 'otp send failed channel=sms provider=smsco status=503 body="{\\"code\\":30500,\\"message\\":\\"Service temporarily unavailable\\"}"'),
        ],
      },
    });
    expect(verdict(r)).toEqual({ category: 'dependency', service: null, change_id: null });
  });
});
