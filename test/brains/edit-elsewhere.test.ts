// An edit that acts where the incident is not. A release turns a setting on in the file of one
// city (`cities/lisbon.yaml`) while the bundle is all about another (every series labelled
// `city="riverton"`, whose own file the same release sets off); a release edits the client of
// one partner (`carriers/chillpost/client.go`) while only the calls to another partner fail.
// Neither edit can have made this incident: what the evidence shows is the crowd, or the partner.
import { describe, expect, it } from 'vitest';
import { syntheticRunner, verdict } from './helpers.js';
import { every, type BundleSpec, type SeriesSpec } from './synthetic.js';

const run = syntheticRunner('edit-elsewhere', { start: '2042-09-23T04:00:00Z', minutes: 200 });

const cityDiff = (lisbon: string): string =>
  [
    'diff --git a/src/main/resources/cities/riverton.yaml b/src/main/resources/cities/riverton.yaml',
    '--- a/src/main/resources/cities/riverton.yaml',
    '+++ b/src/main/resources/cities/riverton.yaml',
    '@@ -6,3 +6,4 @@ geofence:',
    ' parking:',
    '   end_trip_radius_m: 35',
    '+helmet_check_enabled: false',
    `diff --git a/src/main/resources/cities/${lisbon}.yaml b/src/main/resources/cities/${lisbon}.yaml`,
    `--- a/src/main/resources/cities/${lisbon}.yaml`,
    `+++ b/src/main/resources/cities/${lisbon}.yaml`,
    '@@ -6,3 +6,4 @@ geofence:',
    ' parking:',
    '   end_trip_radius_m: 30',
    '+helmet_check_enabled: true',
    '',
  ].join('\n');

const crowd: SeriesSpec[] = [
  { metric: 'unlock_requests_per_second', service: 'unlock-svc', labels: { city: 'riverton' }, level: 20, noise: 0.04, shifts: [{ at: 140, to: 80 }] },
  { metric: 'container_cpu_utilization_ratio', service: 'unlock-svc', labels: { city: 'riverton' }, level: 0.25, noise: 0.04, shifts: [{ at: 140, to: 0.98 }] },
  { metric: 'unlock_latency_seconds_p99', service: 'unlock-svc', labels: { city: 'riverton' }, level: 0.3, noise: 0.05, shifts: [{ at: 142, to: 6 }] },
  { metric: 'unlock_errors_per_second', service: 'unlock-svc', labels: { city: 'riverton' }, level: 0.01, noise: 0.1, shifts: [{ at: 142, to: 9 }] },
];

describe('an edit that acts where the incident is not', () => {
  it('is not a setting turned on in the file of a city nothing in the bundle names', async () => {
    const changes: BundleSpec['changes'] = [{ id: 'deploy-88', service: 'unlock-svc', type: 'deploy', at: 95, summary: 'unlock-svc 3.41.0: helmet check (city opt-in)', diff: cityDiff('lisbon') }];
    const r = await run({ alert: { title: 'unlock-svc p99 high', service: 'unlock-svc', at: 150 }, series: crowd, changes, logs: { 'unlock-svc': every(0, 200, 1, 'info', 'unlock ok city=riverton') } });
    expect(verdict(r).change_id).not.toBe('deploy-88');
  });

  it('is not an edit of the client of a partner whose calls held, while the calls to another failed', async () => {
    const series: SeriesSpec[] = [
      { metric: 'carrier_upstream_latency_seconds', service: 'carrier-gateway', labels: { upstream: 'parcelbird' }, level: 0.4, noise: 0.05, shifts: [{ at: 140, to: 6.5 }] },
      { metric: 'carrier_upstream_errors_per_second', service: 'carrier-gateway', labels: { upstream: 'parcelbird' }, level: 0.01, noise: 0.1, shifts: [{ at: 140, to: 4 }] },
      { metric: 'carrier_upstream_latency_seconds', service: 'carrier-gateway', labels: { upstream: 'chillpost' }, level: 0.3, noise: 0.05 },
      { metric: 'carrier_upstream_errors_per_second', service: 'carrier-gateway', labels: { upstream: 'chillpost' }, level: 0.01, noise: 0.1 },
      { metric: 'carrier_requests_per_second', service: 'carrier-gateway', level: 12, noise: 0.04 },
      { metric: 'label_jobs_failed_per_minute', service: 'fulfilment', level: 0.01, noise: 0.1, shifts: [{ at: 141, to: 30 }] },
    ];
    const changes: BundleSpec['changes'] = [
      {
        id: 'deploy-7146',
        service: 'carrier-gateway',
        type: 'deploy',
        at: 118,
        summary: 'carrier-gateway 2.31.0: chillpost pickup windows, retry once on 409',
        diff: [
          'diff --git a/internal/carriers/chillpost/client.go b/internal/carriers/chillpost/client.go',
          '--- a/internal/carriers/chillpost/client.go',
          '+++ b/internal/carriers/chillpost/client.go',
          '@@ -64,8 +64,17 @@ func (c *Client) CreateShipment(ctx context.Context, req ShipmentRequest) (*Label, error) {',
          ' \tbody, err := json.Marshal(toWire(req))',
          '-\tresp, err := c.do(ctx, http.MethodPost, "/v1/shipments", body)',
          '-\tif err != nil {',
          '-\t\treturn nil, err',
          '+\tvar resp *http.Response',
          '+\tfor attempt := 1; attempt <= 2; attempt++ {',
          '+\t\tresp, err = c.do(ctx, http.MethodPost, "/v1/shipments", body)',
          '+\t\tif err != nil {',
          '+\t\t\treturn nil, err',
          '+\t\t}',
          '+\t\tif resp.StatusCode != http.StatusConflict || attempt == 2 {',
          '+\t\t\tbreak',
          '+\t\t}',
          '+\t\t// window full: move to the next window and retry once',
          '+\t\treq.PickupWindow = req.PickupWindow.Next()',
          ' \t}',
          ' \tdefer resp.Body.Close()',
          '',
        ].join('\n'),
      },
    ];
    const logs: BundleSpec['logs'] = {
      'carrier-gateway': [...every(0, 200, 1, 'info', 'label created'), ...every(141, 200, 0.5, 'error', 'upstream timeout endpoint=labels')],
      fulfilment: every(0, 200, 1, 'info', 'label job done'),
    };
    const r = await run({ alert: { title: 'label backlog high', service: 'fulfilment', at: 150 }, series, changes, logs });
    expect(verdict(r).change_id).not.toBe('deploy-7146');
  });
});
