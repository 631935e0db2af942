// A token lifetime cut, run out later. The auth service shortens the lifetime of the tokens it
// issues from twelve hours to two. Nothing fails: tokens issued before keep their old lifetime.
// A client that fetches its token only at start-up restarts for an unrelated deploy, and two
// hours later, to the minute, the broker starts kicking it out with expired tokens and the
// alarms downstream go stale. The issuer never looks sick; the clock ties it to the failure.
// When the expiry errors come at no time the new lifetime predicts, it is not blamed.
import { describe, expect, it } from 'vitest';
import { syntheticRunner, verdict } from './helpers.js';
import { every, patch, type BundleSpec, type SeriesSpec } from './synthetic.js';

const run = syntheticRunner('lifetime-ran-out', { start: '2042-11-02T05:00:00Z', minutes: 240 });

const series: SeriesSpec[] = [
  { metric: 'messages_published_per_second', service: 'sensor-ingest', level: 900, noise: 0.03, shifts: [{ at: 180, to: 40 }] },
  { metric: 'alarm_input_staleness_seconds', service: 'alarm-engine', level: 2, noise: 0.1, shifts: [{ at: 181, to: 600 }] },
  { metric: 'http_requests_per_second', service: 'device-auth', level: 30, noise: 0.05 },
  { metric: 'http_request_duration_seconds_p99', service: 'device-auth', level: 0.04, noise: 0.05 },
];

const logs = (expiresAt: number): BundleSpec['logs'] => ({
  broker: [
    ...every(0, 240, 2, 'info', 'client connected clientid=telemetry-relay-0'),
    ...every(expiresAt, 240, 0.25, 'warn', 'client sensor-ingest-7f9c kicked: token expired, disconnecting'),
  ],
  'sensor-ingest': [...every(0, 240, 1, 'info', 'flushed 900 readings'), ...every(expiresAt + 0.5, 240, 0.5, 'error', 'connect refused by broker: not authorized')],
  'device-auth': every(0, 240, 1, 'info', 'issued token audience=mqtt'),
});

const changes = (restartAt: number): BundleSpec['changes'] => [
  {
    id: 'cfg-71',
    service: 'device-auth',
    type: 'config',
    at: 20,
    summary: 'device-auth: shorter client token lifetime (SEC-9)',
    diff: patch('deploy/device-auth/config.yaml', ['  mqtt_client:', '    ttl: 12h'], ['  mqtt_client:', '    ttl: 2h']),
  },
  { id: 'deploy-72', service: 'sensor-ingest', type: 'deploy', at: restartAt, summary: 'sensor-ingest 3.1.4: tidy log fields' },
  { id: 'deploy-75', service: 'alarm-engine', type: 'deploy', at: 165, summary: 'alarm-engine 2.2.0: new alarm colours' },
];

describe('a token lifetime cut long before the clients were cut off', () => {
  it('is the config change, when the expiry errors began one new lifetime after a client restarted', async () => {
    const r = await run({ alert: { title: 'alarm inputs stale', service: 'alarm-engine', at: 190 }, series, changes: changes(60), logs: logs(180) });
    expect(verdict(r)).toEqual({ category: 'config', service: 'device-auth', change_id: 'cfg-71' });
  });

  it('is not blamed when the expiry errors came at no time the new lifetime predicts', async () => {
    const r = await run({ alert: { title: 'alarm inputs stale', service: 'alarm-engine', at: 190 }, series, changes: changes(100), logs: logs(180) });
    expect(verdict(r).change_id).not.toBe('cfg-71');
  });
});

// A hold lifetime cut from 72h to 90m, swept with a quarter hour's grace: holds issued after the
// change are released an hour and three quarters later, and the sweep says so at info level,
// quoting the lifetime it applied. The couriers who come for those parcels are refused.
describe('a lifetime cut, quoted by the lines that say what expired', () => {
  const holds = syntheticRunner('lifetime-quoted', { start: '2042-09-22T07:00:00Z', minutes: 200 });
  const spec = (quoted: string): Parameters<typeof holds>[0] => ({
    alert: { title: 'courier deposits failing', service: 'courier-api', at: 130 },
    series: [
      { metric: 'deposit_failure_ratio', service: 'courier-api', level: 0.004, noise: 0.1, shifts: [{ at: 111, to: 0.09 }] },
      { metric: 'reservations_expired_per_minute', service: 'reservations', level: 0.3, noise: 0.2, shifts: [{ at: 110, to: 50 }] },
      { metric: 'reservations_created_per_minute', service: 'reservations', level: 40, noise: 0.05 },
    ],
    changes: [
      {
        id: 'cfg-holds-3107',
        service: 'reservations',
        type: 'config',
        at: 5,
        summary: 'express lane: shorter hold',
        diff: patch('config/reservations/holds.yaml', ['  default:', '    ttl: 72h'], ['  default:', '    ttl: 90m']),
      },
      { id: 'dep-courier-7720', service: 'courier-api', type: 'deploy', at: 104, summary: 'courier-api: photo upload endpoint', diff: patch('api/photos.go', ['// photos'], ['func uploadPhoto() {}']) },
    ],
    logs: {
      reservations: [
        ...every(0, 200, 1, 'info', 'reservation created hold_ttl=72h'),
        ...every(110, 200, 0.5, 'info', `hold expired, compartment released hold_ttl=${quoted} grace=15m`),
      ].sort((a, b) => a.at - b.at),
      'courier-api': [...every(0, 200, 2, 'info', 'deposit accepted'), ...every(111, 200, 1, 'error', 'deposit rejected code=RESERVATION_EXPIRED')].sort((a, b) => a.at - b.at),
    },
  });

  it('is the change, though a grace stands between its lifetime and the onset', async () => {
    const r = await holds(spec('90m'));
    expect(verdict(r)).toEqual({ category: 'config', service: 'reservations', change_id: 'cfg-holds-3107' });
  });

  it('is not read as its lifetime running out when the lines quote another', async () => {
    const r = await holds(spec('45m'));
    expect(JSON.stringify(r.diagnosis)).not.toContain('quoting that lifetime');
  });
});
