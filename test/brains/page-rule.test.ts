// What the page fires on dates the paged service's trouble. An alert on a count of
// notifications (not an error rate, not a latency) fired when that count crossed its line;
// the engine reads the rule's expression from the page's link, and the count's first step,
// not the latency that followed it, is when the paged service's trouble began.
import { describe, expect, it } from 'vitest';
import { latencyBarIn, pageRules, parsePageRule, rulesInText, watchedBy, type PageRule } from '../../src/brains/triage/page-rule.js';
import { statedOnset, syntheticRunner } from './helpers.js';
import type { SeriesSpec } from './synthetic.js';

const START = '2035-06-04T08:00:00Z';
const run = syntheticRunner('page-rule', { start: START, minutes: 240 });
const at = (minute: number): number => Date.parse(START) + minute * 60_000;

describe('the rule a page fires on', () => {
  it('is read from one series against a number, with its label matchers and its direction', () => {
    expect(parsePageRule('critical_call_notifications_per_hour > 60')).toEqual({ metric: 'critical_call_notifications_per_hour', labels: {}, direction: 'up' });
    expect(parsePageRule('booking_success_ratio{region="eu", tier="gold"} <= 0.9')).toEqual({
      metric: 'booking_success_ratio',
      labels: { region: 'eu', tier: 'gold' },
      direction: 'down',
    });
    expect(parsePageRule('checkout:errors:ratio_rate5m > 2e-2')?.metric).toBe('checkout:errors:ratio_rate5m');
  });

  it('is not read from what selects or computes more than one series', () => {
    expect(parsePageRule('queue_depth{queue=~"ortho|trauma"} > 200')).toBeNull();
    expect(parsePageRule('histogram_quantile(0.99, sum(rate(ride_wait_seconds_bucket[5m])) by (le)) > 1')).toBeNull();
    expect(parsePageRule('count(kiosk_up == 0) > 2')).toBeNull();
  });

  it('is read from a series that fires at nothing, as a fall', () => {
    expect(parsePageRule('up == 0')).toEqual({ metric: 'up', labels: {}, direction: 'down' });
    expect(parsePageRule('sum(fans_running{site="north"}) = 0 for 5m while window_open == 1')).toEqual({ metric: 'fans_running', labels: { site: 'north' }, direction: 'down' });
    expect(rulesInText('FansStopped fired: sum(fans_running) = 0 for 5m while the window is open.')).toEqual([{ metric: 'fans_running', labels: {}, direction: 'down' }]);
    // Equal to another number says nothing about which way is bad.
    expect(parsePageRule('mode == 3')).toBeNull();
  });

  it('is read through sums, rates and averages, and from the part a ratio divides', () => {
    expect(parsePageRule('sum(rate(http_requests_total{code="500"}[5m])) / sum(rate(http_requests_total[5m])) > 0.05')).toEqual({
      metric: 'http_requests_total',
      labels: { code: '500' },
      direction: 'up',
    });
    expect(parsePageRule('sum by (route) (increase(ferry_refunds_total{route="north"}[30m])) >= 2')).toEqual({ metric: 'ferry_refunds_total', labels: { route: 'north' }, direction: 'up' });
    expect(parsePageRule('avg(hive_weight_kg) by (apiary) < 20 for 10m')).toEqual({ metric: 'hive_weight_kg', labels: {}, direction: 'down' });
    expect(parsePageRule('deriv(loom_queue_depth[15m]) > 0')?.metric).toBe('loom_queue_depth');
  });

  it('is read from the words of the page when they state it', () => {
    expect(rulesInText('Fires when sum(fines_issued_per_minute{reason="unpaid_toll"}) / fines_forecast_per_minute > 3 for 30m. Residents complain.')).toEqual([
      { metric: 'fines_issued_per_minute', labels: { reason: 'unpaid_toll' }, direction: 'up' },
    ]);
    expect(rulesInText('More than 3 fines a minute above forecast, see the runbook')).toEqual([]);
    // Comparisons in words, and how long they hold in words.
    expect(rulesInText('SplitsLow: results_split_completeness_ratio{mat="H-10K"} below 0.9 for 10m.')).toEqual([
      { metric: 'results_split_completeness_ratio', labels: { mat: 'H-10K' }, direction: 'down' },
    ]);
    expect(rulesInText('Fires when sum(payments_received_per_second) / payments_expected_per_second stays below 0.7 for 10 minutes.')).toEqual([
      { metric: 'payments_received_per_second', labels: {}, direction: 'down' },
    ]);
    expect(rulesInText('ocr_queue_depth above 500 for 2 hours')).toEqual([{ metric: 'ocr_queue_depth', labels: {}, direction: 'up' }]);
    // What follows the threshold says how it is measured: a share, over a span, in bursts.
    expect(rulesInText('unlock_failures_per_second{reason="upstream_timeout"} above 3% of unlocks over 10 minutes, in bursts.')).toEqual([
      { metric: 'unlock_failures_per_second', labels: { reason: 'upstream_timeout' }, direction: 'up' },
    ]);
    expect(rulesInText(null)).toEqual([]);
  });

  it('reads the latency the words say it fires above, in seconds', () => {
    expect(latencyBarIn('session-api p99 latency above 1s and 5xx above 2%')).toBe(1);
    expect(latencyBarIn(null, 'histogram_quantile(0.99, checkout) > 800ms for 10m')).toBe(0.8);
    expect(latencyBarIn('p95 latency over 250 ms', 'p99 latency above 2s')).toBe(0.25);
    expect(latencyBarIn('Error ratio above 5% for 10m', 'queue depth above 500')).toBeNull();
  });

  it('takes no plain word of a sentence for a metric, unless the sentence writes the comparison itself', () => {
    // "ratio of prequal decisions above 35%" is English: `decisions` is no series the page watches.
    expect(rulesInText('Auto-decline ratio of prequal decisions above 35% for 10 minutes.')).toEqual([]);
    expect(rulesInText('Checkout requests below 40 a second for 5 minutes.')).toEqual([]);
    // A metric's own shape is read in words as in an expression.
    expect(rulesInText('Fires when the login_failure_ratio stays above 0.03 for 5 minutes.')).toEqual([{ metric: 'login_failure_ratio', labels: {}, direction: 'up' }]);
    // An expression written out may watch a one-word metric: `up == 0`.
    expect(rulesInText('Fires when up == 0 for 5m.')).toEqual([{ metric: 'up', labels: {}, direction: 'down' }]);
  });

  it('comes from the expression parameters of the page links', () => {
    const links = [
      'https://prometheus.example/graph?g0.expr=pager_notifications_per_hour+%3E+60&g0.tab=1',
      'https://runbooks.example/pager',
      'not a url',
    ];
    expect(pageRules(links)).toEqual([{ metric: 'pager_notifications_per_hour', labels: {}, direction: 'up' }]);
  });
});

/** Notifications step up at minute 60 and again at 110; the wait before a first attempt breaks at 110. */
const series: SeriesSpec[] = [
  { metric: 'pager_requests_per_second', service: 'pager', level: 2, noise: 0.03 },
  { metric: 'pager_notifications_per_hour', service: 'pager', level: 12, noise: 0.05, shifts: [{ at: 60, to: 40 }, { at: 110, to: 120 }] },
  { metric: 'pager_first_attempt_wait_seconds_p90', service: 'pager', level: 250, noise: 0.05, shifts: [{ at: 110, to: 1500 }] },
  { metric: 'intake_results_per_second', service: 'intake', level: 5, noise: 0.03 },
];
const logs = {
  pager: Array.from({ length: 110 }, (_, i) => ({ at: i * 2, level: 'info', message: `notification sent channel=voice attempt=1 id=${1000 + i}` })),
};

describe('an alert on a count of notifications', () => {
  it('dates the paged service from the count the rule watches', async () => {
    const links = ['https://prometheus.example/graph?g0.expr=pager_notifications_per_hour+%3E+60'];
    const r = await run({ alert: { title: 'notifications high', service: 'pager', at: 130, links }, series, changes: [], logs });
    expect(statedOnset(r)).toBe(at(60));
  });

  it('without the rule, dates it from the wait users felt', async () => {
    const r = await run({ alert: { title: 'notifications high', service: 'pager', at: 130 }, series, changes: [], logs });
    expect(statedOnset(r)).toBe(at(110));
  });
});

describe('the prose of a page', () => {
  it('is read only so far: a rule stated early is found, one buried after pages of text is not', () => {
    const filler = 'the queue grows and the workers fall behind; '.repeat(2_000);
    expect(rulesInText(`checkout_error_ratio > 0.05. ${filler}`)).toEqual([{ metric: 'checkout_error_ratio', labels: {}, direction: 'up' }]);
    expect(rulesInText(`${filler}checkout_error_ratio > 0.05`)).toEqual([]);
  });
});

// A page on an intake that fell below the hour before, stated over the counter
// (`rate(ingest_messages_total[5m]) < 0.6 * … offset 1h`), while the bundle saved the rate
// under its own name (`ingest_messages_per_second`). The batches had grown slower by a
// half an hour and more before (a producer's linger lengthened): a creep, not the break.
// What the rule fires on dates the incident, and the series is the counter's rate.
const intakeSeries: SeriesSpec[] = [
  { metric: 'ingest_batch_seconds_p99', service: 'ingest', level: 0.08, noise: 0.03, shifts: [{ at: 70, to: 0.14 }] },
  { metric: 'ingest_messages_per_second', service: 'ingest', level: 4200, noise: 0.02, shifts: [{ at: 160, to: 1400 }] },
  { metric: 'broker_connections', service: 'broker', level: 4200, noise: 0.01, shifts: [{ at: 160, to: 1400 }] },
];
const intakeLogs = { ingest: Array.from({ length: 120 }, (_, i) => ({ at: i * 2, level: 'info', message: `batch flushed records=${400 + i}` })) };

describe('a page on an intake that fell, stated over the counter', () => {
  it('is dated from the intake falling, not from the batches growing slower long before', async () => {
    const description = 'sum(rate(ingest_messages_total[5m])) < 0.6 * sum(rate(ingest_messages_total[5m] offset 1h)) for 5m';
    const r = await run({ alert: { title: 'IngestRateDrop', service: 'ingest', at: 170, description }, series: intakeSeries, changes: [], logs: intakeLogs });
    expect(statedOnset(r)).toBe(at(160));
  });

  it('reads the counter in any of the names a bundle saves its rate under', () => {
    const rule = parsePageRule('sum(rate(ingest_messages_total[5m])) < 3000');
    expect(rule).not.toBeNull();
    for (const name of ['ingest_messages_total', 'ingest_messages_per_second', 'ingest_messages_per_minute', 'ingest_messages_rate']) expect(watchedBy(rule as PageRule, name, {})).toBe(true);
    expect(watchedBy(rule as PageRule, 'ingest_messages_dropped_per_second', {})).toBe(false);
  });
});
