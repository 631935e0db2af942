// An undo is judged on what users feel. At 60 the paged connector's config runs its syncs more
// often: its CPU rises and nothing fails. At 99 another service's rollback starts failing the
// connector's syncs (fewer complete, its logs report the failures), which page. At 130 the
// responders undo the connector's config: its CPU goes back, the failures carry on until a
// roll-forward at 170. The CPU going back says the config was undone, not that the incident
// ended: the config is not blamed.
import { describe, expect, it } from 'vitest';
import { syntheticRunner, verdict } from './helpers.js';
import { every, patch } from './synthetic.js';

const run = syntheticRunner('undo-judged-on-felt', { start: '2036-06-27T17:00:00Z', minutes: 200, stepSeconds: 60 });

describe('an undo judged on a busy signal', () => {
  it('does not end an incident whose failures carried on', async () => {
    const r = await run({
      alert: { title: 'arrivals sync failing', service: 'pms-connector', at: 112 },
      series: [
        { metric: 'process_cpu_usage_cores', service: 'pms-connector', level: 0.8, noise: 0.03, shifts: [{ at: 60, to: 1.26 }, { at: 131, to: 0.78 }] },
        { metric: 'pms_arrivals_synced_per_minute', service: 'pms-connector', level: 40, noise: 0.03, shifts: [{ at: 100, to: 26 }, { at: 172, to: 40 }] },
        { metric: 'http_requests_per_second', service: 'reservation-service', level: 300, noise: 0.03 },
      ],
      changes: [
        { id: 'cfg-2044', service: 'pms-connector', type: 'config', at: 60, summary: 'pms-connector: arrivals sync every 2 min', diff: patch('config/sync.yaml', ['arrivals_interval_seconds: 300'], ['arrivals_interval_seconds: 120']) },
        { id: 'rb-6311', service: 'reservation-service', type: 'rollback', at: 99, summary: 'roll reservation-service back to 7.7.4 (e-mail template bug)' },
        { id: 'rb-2047', service: 'pms-connector', type: 'rollback', at: 130, summary: 'revert cfg-2044', attributes: { reverts: 'cfg-2044' } },
        { id: 'deploy-6318', service: 'reservation-service', type: 'deploy', at: 170, summary: 'reservation-service 7.8.1' },
      ],
      logs: {
        'pms-connector': [...every(0, 200, 1, 'info', 'arrivals synced'), ...every(100, 172, 0.5, 'error', 'arrivals sync failed: reservation-service returned 500')],
        'reservation-service': every(0, 200, 1, 'info', 'GET /reservations 200'),
      },
    });
    expect(verdict(r).change_id).not.toBe('cfg-2044');
  });
});
