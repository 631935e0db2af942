// A label that names a service of the bundle by its stem is that service, no party outside it.
// The USSD gateway's failures are counted per menu; at 184 the `topup` menu's fail while the
// others' hold: that is the top-up service failing (`topup-svc`), and behind it the wallet
// database, whose maintenance window failed its writer over at 184 and left the top-up service
// writing to what is now a reader. The maintenance is named, not an outside dependency "topup".
import { describe, expect, it } from 'vitest';
import { syntheticRunner, verdict } from './helpers.js';
import { every } from './synthetic.js';

const run = syntheticRunner('party-by-stem', { start: '2036-07-21T21:00:00Z', minutes: 240, stepSeconds: 60 });

describe('a label naming a service of the bundle by its stem', () => {
  it('is that service, not an outside dependency: the change behind it is named', async () => {
    const menu = (name: string, fails: boolean) => ({
      metric: 'ussd_menu_failure_ratio',
      service: 'ussd-gateway',
      labels: { menu: name },
      level: 0.006,
      noise: 0.1,
      ...(fails ? { shifts: [{ at: 184, to: 0.2 }] } : {}),
    });
    const r = await run({
      alert: { title: 'top-up failures high', service: 'topup-svc', at: 192 },
      series: [
        { metric: 'topup_failure_ratio', service: 'topup-svc', level: 0.004, noise: 0.1, shifts: [{ at: 184, to: 0.99 }] },
        { metric: 'topup_requests_per_second', service: 'topup-svc', level: 40, noise: 0.04 },
        menu('topup', true),
        menu('balance', false),
        menu('bundles', false),
        { metric: 'rds_database_connections', service: 'wallet-db', labels: { instance: 'wallet-db-2' }, level: 40, noise: 0.05, shifts: [{ at: 184, to: 115 }] },
        { metric: 'rds_cpu_utilization_ratio', service: 'wallet-db', labels: { instance: 'wallet-db-2' }, level: 0.2, noise: 0.05, shifts: [{ at: 184, to: 0.45 }] },
      ],
      changes: [
        { id: 'deploy-5512', service: 'topup-svc', type: 'deploy', at: 100, summary: 'topup-svc 4.1.0: receipt SMS wording' },
        { id: 'infra-3307', service: 'wallet-db', type: 'infra', at: 180, summary: 'wallet-db scheduled maintenance window: aurora-postgresql 15.7 -> 15.8', attributes: { finished_at: '2036-07-22T00:14:00Z' } },
      ],
      logs: {
        'wallet-db': [...every(0, 240, 30, 'info', 'backup window completed'), ...every(183.5, 186, 1, 'warn', 'Started cross AZ failover to DB instance: wallet-db-2')],
        'topup-svc': [...every(0, 240, 0.5, 'info', 'Top-up ok'), ...every(184.2, 240, 0.2, 'error', 'Top-up failed: cannot execute UPDATE in a read-only transaction (sqlstate 25006)')],
        'ussd-gateway': [...every(0, 240, 0.5, 'info', 'menu served'), ...every(184.3, 240, 0.5, 'error', 'menu action failed menu=topup upstream=topup-svc status=500')],
      },
    });
    expect(verdict(r)).toEqual({ category: 'infrastructure', service: 'wallet-db', change_id: 'infra-3307' });
  });
});
