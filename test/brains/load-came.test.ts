// An edit whose cost grows with the load, released at night and met by the Saturday crowd.
// At 02:40 (minute 40) a release takes a store's drawer row lock at the start of the payment
// transaction and holds it across a call to the interest service. At night's few payments a
// store never has two at once; from minute 420 the shops open and traffic climbs thirty-fold,
// payments queue on the lock, and the counter's errors page at minute 520. A flag of the paged
// counter two hours before and a logging-only config of the ledger an hour before are closer
// in time; neither costs anything under load.
import { describe, expect, it } from 'vitest';
import { syntheticRunner, verdict } from './helpers.js';
import { every, patch, type BundleSpec, type SeriesSpec } from './synthetic.js';

const run = syntheticRunner('load-came', { start: '2036-12-06T02:00:00Z', minutes: 600, stepSeconds: 60 });

const release = patch(
  'ledger/src/main/java/ledger/PaymentService.java',
  ['        Loan loan = loans.findById(cmd.loanId()).orElseThrow(LoanNotFound::new);'],
  [
    '        StoreCashDrawer drawer = drawers.lockByStoreId(cmd.storeId());',
    '        Loan loan = loans.findById(cmd.loanId()).orElseThrow(LoanNotFound::new);',
    '        PayoffQuote quote = interestClient.payoffQuote(loan, cmd.postedAt());',
  ],
);

const series: SeriesSpec[] = [
  { metric: 'ledger_http_requests_per_second', service: 'ledger', labels: { route: '/payments' }, level: 1.5, noise: 0.04, slope: 0.45, slopeFrom: 420, slopeUntil: 520 },
  { metric: 'ledger_http_request_duration_seconds_p99', service: 'ledger', labels: { route: '/payments' }, level: 0.12, noise: 0.05, shifts: [{ at: 500, to: 2.1 }] },
  { metric: 'ledger_db_pool_connections_active', service: 'ledger', level: 2, noise: 0.1, slope: 0.5, slopeFrom: 470, slopeUntil: 520 },
  { metric: 'counter_http_requests_per_second', service: 'counter', level: 2.5, noise: 0.04, slope: 0.7, slopeFrom: 420, slopeUntil: 520 },
  { metric: 'counter_http_error_ratio', service: 'counter', labels: { route: '/v2/payments' }, level: 0.002, noise: 0.1, shifts: [{ at: 505, to: 0.12 }] },
  { metric: 'interest_http_requests_per_second', service: 'interest', level: 1.5, noise: 0.04, slope: 0.45, slopeFrom: 420, slopeUntil: 520 },
];

const changes: BundleSpec['changes'] = [
  { id: 'rel-ledger-64', service: 'ledger', type: 'deploy', at: 40, summary: 'ledger 6.4: serialise drawer credits per store', diff: release },
  { id: 'flag-signature-pad', service: 'counter', type: 'feature_flag', at: 380, summary: 'counter: signature pad v2 for 10% of stores' },
  { id: 'cfg-ledger-hist', service: 'ledger', type: 'config', at: 450, summary: 'ledger: histogram buckets for the pool', diff: patch('ledger/src/main/resources/application.yml', ['        http.server.requests: true'], ['        http.server.requests: true', '        hikaricp: true']) },
];

const logs: BundleSpec['logs'] = {
  counter: [...every(0, 600, 2, 'info', 'payment posted'), ...every(505.5, 600, 0.5, 'error', 'POST /v2/payments failed upstream=ledger status=500')],
  ledger: [...every(0, 600, 2, 'info', 'payment applied'), ...every(500.5, 600, 0.5, 'error', 'canceling statement due to lock timeout')],
};

describe('an edit whose cost grows with the load', () => {
  it('is named when the crowd it fails under came, hours after it', async () => {
    const r = await run({ alert: { title: 'counter payments failing', service: 'counter', at: 520 }, series, changes, logs });
    expect(verdict(r)).toMatchObject({ category: 'deploy', service: 'ledger', change_id: 'rel-ledger-64' });
  });
});
