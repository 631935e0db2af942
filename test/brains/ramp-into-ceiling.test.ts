// Organic load that ramps for two hours into a ceiling, and what that ramp must not be read as.
// Wagers rise smoothly from minute 60; the signer's two partitions top out at minute 172, its
// queue fills, and the sales front pages on the wait for signatures. An infra change of the
// ledger (minute 30) is followed by its connections in use climbing with the wagers it
// records: growth that keeps pace with the work is the crowd, not a leak. A release of the
// paged service twelve minutes before is a decoy too.
//
// Beside it, a release that made each top-up hold its database transaction fifty times longer,
// at night, at level traffic: the pool ran out only at the morning peak, hours later. The time
// each unit of work takes, stepped as the change took effect and held, answers the wait.
import { describe, expect, it } from 'vitest';
import { syntheticRunner, verdict } from './helpers.js';
import { every, patch, type BundleSpec, type SeriesSpec } from './synthetic.js';

const run = syntheticRunner('ramp-into-ceiling', { start: '2036-03-13T14:00:00Z', minutes: 240, stepSeconds: 60 });

describe('a long ramp into a ceiling', () => {
  it('is load beyond capacity, and connections that grew with it are no leak', async () => {
    const series: SeriesSpec[] = [
      { metric: 'sales_wagers_submitted_per_second', service: 'sales-api', level: 160, noise: 0.03, slope: 9, slopeFrom: 60 },
      { metric: 'sales_signer_wait_seconds_p99', service: 'sales-api', level: 0.006, noise: 0.05, shifts: [{ at: 173, to: 3 }] },
      { metric: 'http_requests_per_second', service: 'sales-api', level: 170, noise: 0.03, slope: 9.5, slopeFrom: 60 },
      { metric: 'signer_requests_per_second', service: 'signer', level: 160, noise: 0.03, slope: 9, slopeFrom: 60 },
      { metric: 'signer_hsm_signatures_per_second', service: 'signer', level: 160, noise: 0.03, slope: 6, slopeFrom: 60, slopeUntil: 172 },
      { metric: 'signer_hsm_busy_ratio', service: 'signer', level: 0.19, noise: 0.03, slope: 0.00725, slopeFrom: 60, slopeUntil: 172 },
      { metric: 'signer_queue_depth', service: 'signer', level: 3, noise: 0.2, shifts: [{ at: 172, to: 5000 }] },
      { metric: 'pg_connections_active', service: 'ledger', level: 4, noise: 0.05, slope: 0.15, slopeFrom: 60, slopeUntil: 172 },
      { metric: 'process_cpu_cores', service: 'ledger', level: 0.3, noise: 0.03, slope: 0.006, slopeFrom: 60, slopeUntil: 172 },
    ];
    const changes: BundleSpec['changes'] = [
      { id: 'infra-ledger-2tb', service: 'ledger', type: 'infra', at: 30, summary: 'ledger database: storage autoscaling ceiling 1 TB -> 2 TB', diff: patch('terraform/ledger.tf', ['  max_allocated_storage = 1000'], ['  max_allocated_storage = 2000']) },
      { id: 'rel-sales-40', service: 'sales-api', type: 'deploy', at: 160, summary: 'sales-api 4.0: an in-memory field on the basket', diff: patch('src/basket.kt', ['  val lines: List<Line>'], ['  val lines: List<Line>', '  val promo: String? = null']) },
    ];
    const logs: BundleSpec['logs'] = {
      'sales-api': [...every(0, 240, 1, 'info', 'wager accepted'), ...every(173, 240, 0.5, 'error', 'signer did not confirm within 3s')],
      signer: [...every(0, 240, 1, 'info', 'batch signed'), ...every(172.5, 240, 0.5, 'warn', 'queue full, rejecting sign request')],
    };
    const r = await run({ alert: { title: 'Wager errors high', service: 'sales-api', at: 183 }, series, changes, logs });
    expect(verdict(r)).toMatchObject({ category: 'capacity', service: 'signer', change_id: null });
    const said = r.events.filter((e) => e.type === 'agent.message').map((e) => (e.content[0] as { text: string }).text);
    expect(said.filter((text) => text.startsWith('infra-ledger-2tb') && /a leak/.test(text))).toEqual([]);
  });

  it('names the release that made each unit of work hold its resource longer, hours before the peak', async () => {
    const series: SeriesSpec[] = [
      { metric: 'topup_requests_per_second', service: 'topup', level: 3, noise: 0.05, slope: 1.6, slopeFrom: 100, slopeUntil: 200 },
      { metric: 'topup_db_tx_duration_seconds_p50', service: 'topup', level: 0.012, noise: 0.05, shifts: [{ at: 25, to: 0.65 }] },
      { metric: 'db_pool_connections_in_use', service: 'topup', level: 3, noise: 0.1, shifts: [{ at: 25, to: 5 }], slope: 1.05, slopeFrom: 100, slopeUntil: 200 },
      { metric: 'db_pool_connections_max', service: 'topup', level: 160, noise: 0 },
      { metric: 'db_pool_wait_seconds_per_second', service: 'topup', level: 0.001, noise: 0.1, shifts: [{ at: 198, to: 150 }] },
      { metric: 'http_request_duration_seconds_p99', service: 'app-gateway', level: 0.3, noise: 0.05, shifts: [{ at: 199, to: 5 }] },
      { metric: 'http_requests_per_second', service: 'app-gateway', level: 3, noise: 0.05, slope: 1.6, slopeFrom: 100, slopeUntil: 200 },
      { metric: 'ledger_requests_per_second', service: 'ledger', level: 3, noise: 0.05, slope: 1.6, slopeFrom: 100, slopeUntil: 200 },
    ];
    const changes: BundleSpec['changes'] = [
      { id: 'rel-topup-7', service: 'topup', type: 'deploy', at: 25, summary: 'topup 7.0: capture inside the transaction', diff: patch('internal/topup/service.go', ['\tcapture, err := s.psp.Capture(ctx, req)', '\ttx, err := s.db.Begin(ctx)'], ['\ttx, err := s.db.Begin(ctx)', '\tcapture, err := s.psp.Capture(ctx, req)']) },
      { id: 'rel-ledger-12', service: 'ledger', type: 'deploy', at: 185, summary: 'ledger 12: read-only statement endpoint', diff: patch('src/statements.rb', ['  # statements'], ['  get "/statements" do', '  end']) },
    ];
    const logs: BundleSpec['logs'] = {
      topup: [...every(0, 240, 1, 'info', 'top-up done'), ...every(198.5, 240, 0.5, 'error', 'begin tx: context deadline exceeded')],
      'app-gateway': every(0, 240, 1, 'info', 'request served'),
    };
    const r = await run({ alert: { title: 'Top-up errors above 5%', service: 'app-gateway', at: 210 }, series, changes, logs });
    expect(verdict(r)).toMatchObject({ category: 'deploy', service: 'topup', change_id: 'rel-topup-7' });
    // Named for the time each top-up holds its transaction, not for a pool that filled with the morning's crowd.
    const said = r.events.filter((e) => e.type === 'agent.message').map((e) => (e.content[0] as { text: string }).text);
    expect(said.some((text) => text.startsWith('rel-topup-7') && /topup_db_tx_duration_seconds_p50\S* stepped/.test(text))).toBe(true);
  });
});
