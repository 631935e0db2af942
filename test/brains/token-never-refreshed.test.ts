// A token no longer refreshed. At minute 20 a release of the edge pusher makes each process fetch
// its access token once and keep it (it used to refresh it). Every pod starts with a fresh token,
// so nothing fails; an hour later the tokens expire and the ingest API refuses every push with
// "token is expired". The API (the paged service) shipped a release at minute 72. The wait is the
// token's lifetime, and the expiry errors, after the release and never before it, say so.
import { describe, expect, it } from 'vitest';
import { syntheticRunner } from './helpers.js';
import { every, patch, type BundleSpec, type SeriesSpec } from './synthetic.js';

const run = syntheticRunner('token-never-refreshed', { start: '2036-07-09T07:40:00Z', minutes: 130, stepSeconds: 60 });

const series: SeriesSpec[] = [
  { metric: 'ingest_requests_per_second', service: 'ingest-api', labels: { client: 'edge-pusher', code: '401' }, level: 0, shifts: [{ at: 81, to: 9 }] },
  { metric: 'ingest_requests_per_second', service: 'ingest-api', labels: { client: 'edge-pusher', code: '200' }, level: 9, noise: 0.05, shifts: [{ at: 81, to: 0.2 }] },
  { metric: 'pushes_buffered', service: 'edge-pusher', level: 0, shifts: [{ at: 82, to: 4000 }] },
  { metric: 'http_requests_per_second', service: 'field-app', level: 30, noise: 0.05 },
];

const diff = (refreshes: boolean): string =>
  patch(
    'internal/push/auth.go',
    ['func newAuthClient(ctx context.Context, cfg AuthConfig) *http.Client {', '\tcc := clientcredentials.Config{ClientID: cfg.ClientID, TokenURL: cfg.TokenURL}', '\treturn cc.Client(ctx)'],
    [
      'type authTransport struct {',
      '\tcc    clientcredentials.Config',
      '\tonce  sync.Once',
      '\ttoken *oauth2.Token',
      '}',
      'func (a *authTransport) RoundTrip(req *http.Request) (*http.Response, error) {',
      '\ta.once.Do(func() { a.token, a.err = a.cc.Token(req.Context()) })',
      ...(refreshes ? ['\tsrc := oauth2.ReuseTokenSource(a.token, a.cc.TokenSource(req.Context()))'] : []),
    ],
  );

const changes = (refreshes: boolean): BundleSpec['changes'] => [
  { id: 'rel-pusher-27', service: 'edge-pusher', type: 'deploy', at: 20, summary: 'edge-pusher 2.7: one token per process', diff: diff(refreshes) },
  {
    id: 'rel-ingest-14',
    service: 'ingest-api',
    type: 'deploy',
    at: 72,
    summary: 'ingest-api 1.4: stricter audience check',
    diff: patch('internal/auth/verify.go', ['\tif !validIssuer(claims) {'], ['\tif !validIssuer(claims) || !validAudience(claims) {']),
  },
];

const logs: BundleSpec['logs'] = {
  'ingest-api': [...every(0, 130, 1, 'info', 'push accepted client=edge-pusher'), ...every(81, 130, 0.5, 'warn', 'push rejected client=edge-pusher status=401 reason="token is expired"')].sort((a, b) => a.at - b.at),
  'edge-pusher': [...every(0, 130, 2, 'info', 'push batch sent'), ...every(81, 130, 1, 'error', 'push failed status=401, buffering to disk')].sort((a, b) => a.at - b.at),
  'field-app': every(0, 130, 2, 'info', 'GET /wells 200'),
};

const alert = { title: 'edge telemetry stale', service: 'ingest-api', at: 92 };

describe('a token no longer refreshed', () => {
  it('is the cause: the expiry errors came one token lifetime after it', async () => {
    const r = await run({ alert, series, changes: changes(false), logs });
    expect(r.diagnosis?.root_cause.change_id).toBe('rel-pusher-27');
  });

  it('is not read into a release whose token still refreshes', async () => {
    const r = await run({ alert, series, changes: changes(true), logs });
    expect(JSON.stringify(r.diagnosis)).not.toContain('stopped refreshing its token');
  });
});
