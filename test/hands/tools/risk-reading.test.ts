// Edits read for what they are in their language: a map built fresh for each call is no leak, a
// Go type named Cluster is no SQL, and a YAML line after a new top-level key is not under the
// key git named in the hunk's header.
import { describe, expect, it } from 'vitest';
import { assess, patch, placesOf } from './helpers/patch.js';

describe('a collection that grows', () => {
  const grows = (...patches: string[]): Array<[string, string]> => placesOf('unbounded_growth', ...patches);

  it('is not one given a fresh map earlier in the same function, through the same object', () => {
    expect(
      grows(
        patch('internal/dispatch/cad.go', 98, [
          ' type cadIncident struct {',
          '+\tCustomFields map[string]string `json:"custom_fields,omitempty"`',
          ' }',
          ' func (c *CADClient) CreateIncident(ctx context.Context, d Detection) (string, error) {',
          ' \tinc := cadIncident{Source: "lookout"}',
          '+\tinc.CustomFields = map[string]string{"tower_id": d.TowerID}',
          '+\tif d.Reviewer != "" {',
          '+\t\tinc.CustomFields["confirmed_by"] = d.Reviewer',
          '+\t}',
        ]),
      ),
    ).toEqual([]);
  });

  it('is still one made in a constructor and filled on every call elsewhere', () => {
    expect(
      grows(
        patch('internal/seen/seen.go', 10, [
          ' type Tracker struct {',
          '+\tlast map[string]time.Time',
          ' }',
          ' func NewTracker() *Tracker {',
          '+\tt := &Tracker{}',
          '+\tt.last = make(map[string]time.Time)',
          '+\treturn t',
          ' }',
          ' func (t *Tracker) Seen(key string) {',
          '+\tt.last[key] = time.Now()',
          ' }',
        ]),
      ),
    ).toEqual([['internal/seen/seen.go:19', 't.last[key] = time.Now()']]);
  });
});

describe('a schema change that locks a table', () => {
  const locks = (...patches: string[]): Array<[string, string]> => placesOf('table_lock', ...patches);

  it('is read in SQL, not in code that only shares its words', () => {
    expect(locks(patch('internal/clusters/grid.go', 1, ['+type Cluster struct {', '+\tLat, Lon float64', '+}'], { newFile: true }))).toEqual([]);
    expect(locks(patch('internal/repo/clusters.py', 5, ['+def cluster_stations(rows):', '+    return [cluster for cluster in rows]']))).toEqual([]);
  });

  it('is still read in a SQL file in any case, and in a string or in capitals in code', () => {
    expect(locks(patch('db/migrate/0042.sql', 1, ['+cluster bookings using bookings_pkey;']))).toEqual([['db/migrate/0042.sql:1', 'cluster bookings using bookings_pkey;']]);
    expect(locks(patch('store/migrate.go', 3, ['+\t_, err = db.Exec("create index idx_pins on pins (station_id)")']))).toEqual([
      ['store/migrate.go:3', '_, err = db.Exec("create index idx_pins on pins (station_id)")'],
    ]);
  });
});

describe('settings in a YAML hunk', () => {
  it('are not read under the key the hunk header names once a new top-level key begins', () => {
    const risks = assess(
      patch('config/cities/riverton.yaml', 6, [' parking:', '   end_trip_radius_m: 35', '+tracing:', '+  enabled: true'], { header: 'geofence:' }),
    ).risks;
    expect(risks.map((r) => r.detail).join(' ')).not.toMatch(/geofence/);
  });
});

describe('a heavy job run more often', () => {
  const oftener = (...patches: string[]): Array<[string, string]> => placesOf('work_more_often', ...patches);

  it('is a full snapshot interval cut from a day to five minutes', () => {
    expect(
      oftener(patch('k8s/publisher/configmap.yaml', 12, ['     publish:', '-      full_snapshot_interval: 24h', '+      full_snapshot_interval: 5m', '       delta_retention: 24h'])),
    ).toEqual([['k8s/publisher/configmap.yaml:13', 'full_snapshot_interval: 24h  →  full_snapshot_interval: 5m']]);
  });

  // A sync goes over every record it keeps in step each run: one call per unit, from every replica.
  it('is a sync of every record whose interval was cut from a minute to five seconds', () => {
    expect(
      oftener(patch('deploy/helm/housekeeping/values-prod.yaml', 20, ['   bedStatusSync:', '-    intervalSeconds: 60', '+    intervalSeconds: 5', '     scope: per_unit'])),
    ).toEqual([['deploy/helm/housekeeping/values-prod.yaml:21', 'intervalSeconds: 60  →  intervalSeconds: 5']]);
  });

  it('is not a poll interval, nor a heavy job run a little more often', () => {
    expect(oftener(patch('config/app.yaml', 3, ['-poll_interval: 60s', '+poll_interval: 5s']))).toEqual([]);
    expect(oftener(patch('config/app.yaml', 3, ['-export_interval: 60m', '+export_interval: 30m']))).toEqual([]);
  });
});


describe('a rate limit added where there was none', () => {
  const limits = (...patches: string[]): Array<[string, string]> => placesOf('limit_changed', ...patches);

  it('is an nginx zone with its rate, or a key that sets a rate for the first time', () => {
    expect(
      limits(
        patch('edge/nginx/conf.d/meters.conf', 1, [
          '+limit_req_zone $binary_remote_addr zone=meter_ingest:10m rate=10r/s;',
          '+limit_req_status 429;',
          ' upstream meter_gateway {',
        ]),
      ),
    ).toEqual([['edge/nginx/conf.d/meters.conf:1', 'limit_req_zone $binary_remote_addr zone=meter_ingest:10m rate=10r/s;']]);
    expect(limits(patch('config/partners.yaml', 4, ['   partner_api:', '+    rate_limit: 100', '     timeout_ms: 800']))).toEqual([['config/partners.yaml:5', 'rate_limit: 100']]);
  });

  it('is not a rate that was there before and moved, nor a limit of anything but requests', () => {
    expect(limits(patch('edge/nginx/conf.d/meters.conf', 1, ['-limit_req_zone $binary_remote_addr zone=m:10m rate=50r/s;', '+limit_req_zone $binary_remote_addr zone=m:10m rate=10r/s;']))).toEqual([]);
    expect(limits(patch('config/app.yaml', 3, ['+sample_rate: 10']))).toEqual([]);
  });
});

describe('a request size limit added where there was none', () => {
  const sized = (...patches: string[]): Array<[string | undefined, string[] | undefined]> =>
    assess(...patches)
      .risks.filter((s) => s.kind === 'limit_changed')
      .map((s) => [s.new, s.new_printed]);

  it("is nginx's body size, an ingress annotation's or a key that caps a request's size, with the bytes it is printed as", () => {
    expect(sized(patch('charts/assets/values.yaml', 14, ['   annotations:', '+    nginx.ingress.kubernetes.io/proxy-body-size: "8m"']))).toEqual([['8m', ['8000000', '8388608', '8M', '8MB', '8Mi', '8MiB']]]);
    expect(sized(patch('edge/nginx/conf.d/upload.conf', 3, ['   location /upload {', '+    client_max_body_size 20m;']))).toEqual([['20m', ['20000000', '20971520', '20M', '20MB', '20Mi', '20MiB']]]);
    expect(sized(patch('config/app.yaml', 3, ['   server:', '+    max_request_size: 1048576']))).toEqual([['1048576', ['1048576']]]);
  });

  it('is not a buffer size, nor a limit that was there before', () => {
    expect(sized(patch('charts/assets/values.yaml', 14, ['   annotations:', '+    nginx.ingress.kubernetes.io/client-body-buffer-size: "1m"']))).toEqual([]);
    expect(sized(patch('edge/nginx/conf.d/upload.conf', 3, ['-    client_max_body_size 64m;', '+    client_max_body_size 64m; # kept']))).toEqual([]);
  });
});

describe('a machine made smaller', () => {
  const sized = (...patches: string[]): Array<Record<string, unknown>> =>
    assess(...patches)
      .risks.filter((s) => s.kind === 'limit_changed')
      .map((s) => ({ old: s.old, new: s.new, direction: s.direction, factor: s.factor, bounds: s.bounds }));

  it('is a node, instance or machine type moved down its family, in any cloud', () => {
    expect(sized(patch('envs/prod/cache.tf', 5, ['   engine = "redis"', '-  node_type = "cache.r6g.xlarge"', '+  node_type = "cache.r6g.large"', '   num_cache_clusters = 3']))).toEqual([
      { old: 'cache.r6g.xlarge', new: 'cache.r6g.large', direction: 'tightened', factor: 2, bounds: 'capacity' },
    ]);
    expect(sized(patch('pools/workers.yaml', 2, ['   pool:', '-    machineType: n2-standard-16', '+    machineType: n2-standard-4']))).toEqual([
      { old: 'n2-standard-16', new: 'n2-standard-4', direction: 'tightened', factor: 4, bounds: 'capacity' },
    ]);
    expect(sized(patch('infra/vmss.tf', 9, ['-  sku = "Standard_D8s_v3"', '+  sku = "Standard_D4s_v3"']))).toEqual([
      { old: 'Standard_D8s_v3', new: 'Standard_D4s_v3', direction: 'tightened', factor: 2, bounds: 'capacity' },
    ]);
    expect(sized(patch('rds.tf', 4, ['-  instance_class = "db.m5.4xlarge"', '+  instance_class = "db.m5.xlarge"']))).toEqual([
      { old: 'db.m5.4xlarge', new: 'db.m5.xlarge', direction: 'tightened', factor: 4, bounds: 'capacity' },
    ]);
  });

  it('is not a machine made larger, moved to another family, or a size word alone', () => {
    const risky = (...patches: string[]): string[] => assess(...patches).risks.map((s) => s.kind);
    expect(risky(patch('envs/prod/cache.tf', 5, ['-  node_type = "cache.r6g.large"', '+  node_type = "cache.r6g.2xlarge"']))).toEqual([]);
    expect(risky(patch('envs/prod/cache.tf', 5, ['-  node_type = "cache.r5.xlarge"', '+  node_type = "cache.r6g.large"']))).toEqual([]);
    expect(risky(patch('ui/theme.yaml', 5, ['-  button_size: xlarge', '+  button_size: large']))).toEqual([]);
  });
});

describe('a bound on a price or a factor applied to one', () => {
  const kinds = (...patches: string[]): string[] => assess(...patches).risks.map((s) => s.kind);

  it('is business logic, not room for work', () => {
    expect(kinds(patch('surge/config/blr.yaml', 12, ['   - id: blr-airport', '-    max_multiplier: 3.5', '+    max_multiplier: 3.0', '     min_multiplier: 1.0']))).toEqual([]);
    expect(kinds(patch('pricing/limits.yaml', 3, ['-max_fare: 120', '+max_fare: 90']))).toEqual([]);
  });

  it('leaves a pool cut, and a retry backoff multiplier, read as before', () => {
    expect(kinds(patch('db/pool.yaml', 3, ['-max_connections: 40', '+max_connections: 20']))).toEqual(['limit_changed']);
    expect(kinds(patch('client/retry.yaml', 3, ['   retry:', '-    backoff_multiplier: 2.0', '+    backoff_multiplier: 1.0']))).not.toContain('limit_changed');
  });
});

describe('names on the wire changed', () => {
  const wire = (...patches: string[]): Array<{ identifiers: string[] }> =>
    assess(...patches)
      .risks.filter((s) => s.kind === 'wire_format_changed')
      .map((s) => ({ identifiers: s.identifiers }));

  it('is a naming strategy put on a type, naming the type, and its fields in both spellings in its detail', () => {
    const found = wire(
      patch('src/main/kotlin/fares/api/dto/VehicleSurcharge.kt', 1, [
        ' package fares.api.dto',
        '+import com.fasterxml.jackson.databind.annotation.JsonNaming',
        '+@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy::class)',
        ' data class VehicleSurcharge(',
        '     val lengthCm: Int,',
        '     val amountMinor: Long,',
        ' )',
      ]),
    );
    expect(found).toEqual([{ identifiers: ['VehicleSurcharge'] }]);
    const detail = assess(
      patch('src/Dto.kt', 1, ['+@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy::class)', ' data class VehicleSurcharge(', '     val lengthCm: Int,', ' )']),
    ).risks[0]?.detail;
    expect(detail).toContain('lengthCm, length_cm');
  });

  it('is a field renamed on the wire, in a Go tag or an annotation', () => {
    expect(wire(patch('internal/quote/types.go', 8, ['-\tLengthCm int `json:"lengthCm"`', '+\tLengthCm int `json:"length_cm"`']))).toEqual([{ identifiers: ['lengthCm', 'length_cm'] }]);
    expect(wire(patch('src/Quote.java', 8, ['-  @JsonProperty("amount")', '+  @JsonProperty("amount_minor")', '   private long amount;']))).toEqual([{ identifiers: ['amount', 'amount_minor'] }]);
  });

  it('is a field left without its wire name where its neighbours keep theirs, when the lines it replaces wrote it by another name', () => {
    const kotlin = patch('src/main/kotlin/roster/events/DutyEvents.kt', 14, [
      '-fun Duty.toEvent(): Map<String, Any?> = mapOf(',
      '-    "crew_id" to crewId,',
      '-    "report_time_utc" to reportTime.toString(),',
      '-    "layover_station" to layover?.station,',
      '+@Serializable',
      '+data class DutyEvent(',
      '+    @SerialName("crew_id") val crewId: Long,',
      '+    val reportTimeUtc: Instant,',
      '+    @SerialName("layover_station") val layoverStation: String? = null,',
      ' )',
    ]);
    expect(wire(kotlin)).toEqual([{ identifiers: ['report_time_utc', 'reportTimeUtc'] }]);
    const go = patch('internal/roster/event.go', 8, [
      ' type DutyEvent struct {',
      '-\tCrewID     int64     `json:"crew_id"`',
      '-\tReportTime time.Time `json:"report_time"`',
      '-\tStation    string    `json:"station"`',
      '+\tCrewID     int64     `json:"crew_id"`',
      '+\tReportTime time.Time',
      '+\tStation    string    `json:"station"`',
      ' }',
    ]);
    expect(wire(go)).toEqual([{ identifiers: ['report_time', 'ReportTime'] }]);
  });

  it('is not a new field without a wire name, nor a type whose fields all keep theirs', () => {
    const added = patch('src/main/kotlin/roster/events/DutyEvents.kt', 14, [
      ' data class DutyEvent(',
      '     @SerialName("crew_id") val crewId: Long,',
      '     @SerialName("layover_station") val layoverStation: String? = null,',
      '+    val fatigueScore: Double = 0.0,',
      ' )',
    ]);
    expect(wire(added)).toEqual([]);
    const kept = patch('src/main/kotlin/roster/events/DutyEvents.kt', 14, [
      '-    "crew_id" to crewId,',
      '-    "report_time_utc" to reportTime.toString(),',
      '+    @SerialName("crew_id") val crewId: Long,',
      '+    @SerialName("report_time_utc") val reportTimeUtc: Instant,',
    ]);
    expect(wire(kept)).toEqual([]);
  });

  it("is a field's own reader taken off, naming the field: it now refuses what the reader let in", () => {
    const rust = patch('src/plan.rs', 12, [
      ' #[derive(Debug, Deserialize)]',
      ' pub struct Spot {',
      '     pub id: String,',
      '-    #[serde(deserialize_with = "de_duration")]',
      '-    pub duration: Duration,',
      '+    pub duration: u32,',
      ' }',
    ]);
    expect(wire(rust)).toEqual([{ identifiers: ['duration'] }]);
    const jackson = patch('src/main/java/Plan.java', 20, ['-  @JsonDeserialize(using = IsoDurationDeserializer.class)', '   private Duration length;']);
    expect(wire(jackson)).toEqual([{ identifiers: ['length'] }]);
  });

  it('is not a reader that stays, nor one put on', () => {
    expect(wire(patch('src/plan.rs', 12, ['-    #[serde(deserialize_with = "de_duration")]', '+    #[serde(deserialize_with = "de_duration")]', '     pub duration: Duration,']))).toEqual([]);
    expect(wire(patch('src/plan.rs', 12, ['+    #[serde(deserialize_with = "de_duration")]', '-    pub duration: u32,', '+    pub duration: Duration,']))).toEqual([]);
  });

  it('is not a naming strategy that was there before, nor a tag that kept its name', () => {
    expect(wire(patch('src/Dto.kt', 1, ['-@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy::class)', '+@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy::class)', ' data class Dto(val aB: Int)']))).toEqual([]);
    expect(wire(patch('internal/quote/types.go', 8, ['-\tLengthCm int `json:"length_cm"`', '+\tLengthCm int64 `json:"length_cm"`']))).toEqual([]);
  });
});

describe('a type no longer written as its single value', () => {
  const shape = (...patches: string[]): string[] =>
    assess(...patches)
      .risks.filter((s) => s.kind === 'wire_format_changed')
      .flatMap((s) => s.identifiers);

  it("is Jackson's @JsonValue or serde's transparent removed", () => {
    expect(shape(patch('src/main/kotlin/pay/Money.kt', 20, [' data class Money(val amount: BigDecimal, val currency: Currency) {', '-    @JsonValue', '-    fun toPlainString(): String = amount.toPlainString()', ' }']))).toEqual(['Money']);
    expect(shape(patch('src/ids.rs', 3, ['-#[serde(transparent)]', ' pub struct AccountId(String);']))).toEqual(['AccountId']);
  });

  it('is not the annotation moved to another member, nor kept', () => {
    expect(shape(patch('src/main/kotlin/pay/Money.kt', 20, [' data class Money(val amount: BigDecimal) {', '-    @JsonValue', '-    fun toPlainString(): String = amount.toPlainString()', '+    @JsonValue', '+    fun asString(): String = amount.toPlainString()', ' }']))).toEqual([]);
  });
});

describe('a limit set to a number, as a program prints it', () => {
  const printed = (...lines: string[]): Array<string[] | undefined> =>
    assess(patch('deploy/app.yaml', 3, lines))
      .risks.filter((s) => s.kind === 'limit_changed')
      .map((s) => s.new_printed);

  it('is a size in bytes, a decimal unit read both ways, and with its unit, and a duration in milliseconds and seconds', () => {
    expect(printed('-    max-inbound-message-size: 16MB', '+    max-inbound-message-size: 1MB')).toEqual([['1000000', '1048576', '1M', '1MB', '1Mi', '1MiB']]);
    expect(printed('-    request_timeout: 30s', '+    request_timeout: 2s')).toEqual([['2000', '2']]);
    expect(printed('-    max_connections: 500', '+    max_connections: 120')).toEqual([['120']]);
  });
});

describe('a token no longer refreshed', () => {
  const kinds = (...patches: string[]): string[] => assess(...patches).risks.map((s) => s.kind);
  const go = (kept: boolean): string =>
    patch('internal/push/auth.go', 20, [
      '-func newAuthClient(ctx context.Context, cfg AuthConfig) *http.Client {',
      '-\tcc := clientcredentials.Config{ClientID: cfg.ClientID, ClientSecret: cfg.ClientSecret, TokenURL: cfg.TokenURL}',
      '-\treturn cc.Client(ctx)',
      '+type authTransport struct {',
      '+\tcc    clientcredentials.Config',
      '+\tonce  sync.Once',
      '+\ttoken *oauth2.Token',
      '+}',
      '+func (a *authTransport) RoundTrip(req *http.Request) (*http.Response, error) {',
      '+\ta.once.Do(func() { a.token, a.err = a.cc.Token(req.Context()) })',
      ...(kept ? ['+\tsrc := oauth2.ReuseTokenSource(a.token, a.cc.TokenSource(req.Context()))'] : []),
    ]);

  it('is a refreshing client taken out for a token fetched once per process', () => {
    expect(kinds(go(false))).toContain('refresh_removed');
  });

  it('is a token cached until an expiry of its own, not the lifetime the issuer gives', () => {
    const cache = (expiry: string): string =>
      patch('src/innkeep/auth.ts', 10, [
        '+const TOKEN_TTL_MS = 24 * 60 * 60 * 1000;',
        "+  const res = await tokenClient.post<TokenResponse>('/oauth2/token', { grant_type: 'client_credentials' });",
        `+  cached = { token: res.data.access_token, fetchedAt: now, expiresAt: ${expiry} };`,
        "+  log.info({ expiresIn: res.data.expires_in }, 'innkeep access token acquired');",
      ]);
    expect(kinds(cache('now + TOKEN_TTL_MS'))).toContain('refresh_removed');
    expect(kinds(cache('now + res.data.expires_in * 1000'))).not.toContain('refresh_removed');
  });

  it('is not a token fetched once that still refreshes, nor a value fetched once that is no token', () => {
    expect(kinds(go(true))).not.toContain('refresh_removed');
    expect(
      kinds(patch('app/settings.py', 3, ['-def settings():', '-    return load_settings(refresh=True)', '+@functools.cache', '+def settings():', '+    return load_settings()'])),
    ).not.toContain('refresh_removed');
  });
});
