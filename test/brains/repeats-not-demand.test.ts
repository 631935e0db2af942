// Work asked for again is no crowd. At 100 a text-message provider outside the bundle starts to
// deliver codes minutes late; users press "resend" thirty times as often, so the codes sent rise
// fourfold in the same minutes, and payments waiting on a completed code pile up. The lateness
// is measured where the provider's delivery receipts are timed (the notification hub); the
// code sender only counts what it sends. Nothing came but the repeats: the dependency is the
// cause, not load beyond what payments can take.
import { describe, expect, it } from 'vitest';
import { syntheticRunner, verdict } from './helpers.js';
import { every } from './synthetic.js';

const run = syntheticRunner('repeats-not-demand', { start: '2036-02-16T20:00:00Z', minutes: 150, stepSeconds: 60 });

/** Deliveries later by the minute: 7 s, then half a minute, a minute, two, five. */
const climb = [{ at: 100, to: 30 }, { at: 102, to: 60 }, { at: 104, to: 120 }, { at: 106, to: 300 }];

describe('traffic that is work asked for again', () => {
  it('is no crowd: the provider that delivers late is the cause', async () => {
    const r = await run({
      alert: { title: 'step-up success low', service: 'login-service', at: 112 },
      series: [
        { metric: 'stepup_otp_success_ratio', service: 'login-service', level: 0.94, noise: 0.01, shifts: [{ at: 102, to: 0.5 }] },
        { metric: 'login_attempts_per_second', service: 'login-service', level: 40, noise: 0.04 },
        { metric: 'otp_resend_requests_per_second', service: 'otp-service', level: 0.3, noise: 0.1, shifts: [{ at: 101, to: 9 }] },
        { metric: 'otp_sent_per_second', service: 'otp-service', labels: { provider: 'smsbridge' }, level: 3, noise: 0.05, shifts: [{ at: 102, to: 12 }] },
        { metric: 'sms_delivery_latency_seconds_p95', service: 'notification-hub', labels: { provider: 'smsbridge' }, level: 8, noise: 0.05, shifts: climb },
        { metric: 'sms_delivery_latency_seconds_p95', service: 'otp-service', labels: { provider: 'telnexa' }, level: 6, noise: 0.05 },
        { metric: 'payments_pending_stepup', service: 'pay-anyone', level: 50, noise: 0.05, shifts: [{ at: 103, to: 750 }] },
        { metric: 'http_requests_per_second', service: 'pay-anyone', level: 25, noise: 0.04 },
      ],
      changes: [{ id: 'cfg-2041', service: 'login-service', type: 'config', at: 40, summary: 'login-service: step-up session 10m' }],
      logs: {
        'otp-service': [...every(0, 150, 0.5, 'info', 'otp sent provider=smsbridge'), ...every(101, 150, 1, 'warn', 'delivery receipt late provider=smsbridge waited=280s')],
        'pay-anyone': [...every(0, 150, 0.5, 'info', 'payment released'), ...every(104, 150, 0.5, 'warn', 'payment held: step-up not completed within 180s')],
      },
    });
    expect(verdict(r).category).toBe('dependency');
  });
});
