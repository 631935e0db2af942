import { describe, expect, it } from 'vitest';
import { assess, patch } from './helpers/patch.js';

const growth = (...patches: string[]): Array<[string, string, string[]]> =>
  assess(...patches)
    .risks.filter((s) => s.kind === 'unbounded_growth')
    .map((s) => [s.code, s.detail, s.identifiers]);

describe('entries written to a store that no longer expire', () => {
  it('Java: a write with a TTL replaced by hash writes with none', () => {
    expect(
      growth(
        patch('src/main/java/x/SummaryStore.java', 30, [
          '     public void put(Summary summary) {',
          '-        redis.opsForValue().set(SUMMARY_PREFIX + summary.id(), bytes, SUMMARY_TTL);',
          '+        Map<String, byte[]> entries = new HashMap<>();',
          '+        entries.put(summary.player(), bytes);',
          '+        conn.hashCommands().hSet(key(PLAYER_PREFIX + summary.player()), field, bytes);',
          '     }',
        ]),
      ),
    ).toEqual([
      [
        'src/main/java/x/SummaryStore.java:33',
        'entries written by hSet() no longer expire (SUMMARY_TTL dropped): the store keeps every one until it fills, then evicts or refuses writes',
        ['SUMMARY_TTL', 'hSet'],
      ],
    ]);
  });

  it('Python: set with ex= replaced by a set member', () => {
    expect(growth(patch('app/seen.py', 10, ['-    r.set(f"seen:{uid}:{item}", 1, ex=SEEN_TTL_SECONDS)', '+    r.sadd(f"seen:{uid}", item)'])).map(([code]) => code)).toEqual(['app/seen.py:10']);
  });

  it('Go: an expiring in-process LRU replaced by a shared store written with no expiry', () => {
    expect(
      growth(
        patch('internal/dedupe/dedupe.go', 20, [
          '-\treturn &Deduper{seen: expirable.NewLRU[string, struct{}](size, nil, window)}',
          '+\treturn &Deduper{rdb: rdb, prefix: "dl:v2:"}',
          ' }',
          ' func (d *Deduper) Seen(ctx context.Context, ev Event) (bool, error) {',
          '+\tok, err := d.rdb.SetNX(ctx, d.prefix+key(ev), 1, 0).Result()',
        ]),
      ).map(([code, detail]) => [code, detail.slice(0, 70)]),
    ).toEqual([['internal/dedupe/dedupe.go:23', 'entries written by SetNX() no longer expire (expirable.NewLRU dropped)']]);
  });

  it('is not read where the change still sets a lifetime, or where a cache is taken out and a local map filled', () => {
    expect(
      growth(
        patch('app/seen.py', 10, ['-    r.set(f"seen:{uid}:{item}", 1, ex=SEEN_TTL_SECONDS)', '+    r.sadd(f"seen:{uid}", item)', '+    r.expire(f"seen:{uid}", SEEN_TTL_SECONDS)']),
        patch('src/Prices.java', 40, ['-      cache.put(cacheKey(sku), price, PRICE_TTL);', '+      prices.put(sku, price);']),
        patch('src/Quotes.java', 12, ['-    cache.set(key, quote, QUOTE_TTL);', '+    cache.set(key, quote, QUOTE_TTL_LONG);']),
      ),
    ).toEqual([]);
  });

  it('Python: a lifetime that is a parameter defaulting to None, which no caller passes, is none', () => {
    const cache = (use: string): string =>
      patch('app/cache.py', 10, [
        ' RATE_TTL_SECONDS = 6 * 3600',
        '-    def put(self, key, value) -> None:',
        '-        self._r.setex(key, RATE_TTL_SECONDS, json.dumps(value))',
        '+    def put(self, key, value, ttl: int | None = None) -> None:',
        '+        self._r.set(key, json.dumps(value), ex=ttl)',
        '+',
        '+def memoized(cache, key_fn, ttl=None):',
        '+    def deco(fn):',
        '+        def wrapper(*args):',
        '+            value = fn(*args)',
        '+            cache.put(key_fn(*args), value, ttl=ttl)',
        '+            return value',
        '+        return wrapper',
        '+    return deco',
        `+@memoized(_lines, ${use})`,
      ]);
    expect(growth(cache('key_fn=_line_key')).map(([code, detail]) => [code, detail])).toEqual([
      [
        'app/cache.py:12',
        'entries written by set() no longer expire (self._r.setex, RATE_TTL_SECONDS dropped; its lifetime is ttl, which defaults to none and no caller in the change passes): the store keeps every one until it fills, then evicts or refuses writes',
      ],
    ]);
    // A caller that gives it a value gives the entries a lifetime.
    expect(growth(cache('key_fn=_line_key, ttl=6 * 3600'))).toEqual([]);
  });

  it('TypeScript: a hash written with none while the same transaction expires another key', () => {
    expect(
      growth(
        patch('src/store/summaryStore.ts', 20, [
          '-    await this.redis.set(key(summary.matchId), payload, "EX", SUMMARY_TTL_S);',
          '+    const k = summaryKey(summary.matchId);',
          '+    const tx = this.redis.multi().hset(k, fields);',
          '+    for (const p of summary.players) {',
          '+      const rk = recentKey(p.playerId);',
          '+      tx.lpush(rk, summary.matchId).ltrim(rk, 0, RECENT_PER_PLAYER - 1).expire(rk, SUMMARY_TTL_S);',
          '+    }',
        ]),
      ).map(([code, detail]) => [code, detail.startsWith('entries written by hset() no longer expire')]),
    ).toEqual([['src/store/summaryStore.ts:21', true]]);
  });

  it('is not read where the expire names the key the write wrote', () => {
    expect(
      growth(
        patch('src/store/summaryStore.ts', 20, [
          '-    await this.redis.set(key(summary.matchId), payload, "EX", SUMMARY_TTL_S);',
          '+    const k = summaryKey(summary.matchId);',
          '+    await this.redis.multi().hset(k, fields).expire(k, SUMMARY_TTL_S).exec();',
        ]),
      ),
    ).toEqual([]);
  });

  it('Go, a new file: keys given a lifetime on one path only', () => {
    const store = (readExpires: boolean, deliveredExpires: boolean): string =>
      patch(
        'internal/receipts/store.go',
        1,
        [
          '+package receipts',
          '+func receiptKey(convID, msgID string) string {',
          '+\treturn fmt.Sprintf("rcpt:%s:%s", convID, msgID)',
          '+}',
          '+func (s *RedisStore) MarkDelivered(ctx context.Context, convID, msgID, userID string, at time.Time) error {',
          '+\tkey := receiptKey(convID, msgID)',
          '+\tif err := s.rdb.HSet(ctx, key, userID+":d", at.UnixMilli()).Err(); err != nil {',
          '+\t\treturn err',
          '+\t}',
          ...(deliveredExpires ? ['+\ts.rdb.Expire(ctx, key, s.ttl)'] : []),
          '+\treturn nil',
          '+}',
          '+func (s *RedisStore) MarkRead(ctx context.Context, convID, msgID, userID string, at time.Time) error {',
          '+\tkey := receiptKey(convID, msgID)',
          '+\tpipe := s.rdb.TxPipeline()',
          '+\tpipe.HSet(ctx, key, userID+":r", at.UnixMilli())',
          ...(readExpires ? ['+\tpipe.Expire(ctx, key, s.ttl)'] : []),
          '+\t_, err := pipe.Exec(ctx)',
          '+\treturn err',
          '+}',
        ],
        { newFile: true },
      );
    expect(growth(store(true, false)).map(([code, detail]) => [code, detail.startsWith('entries written by HSet() under receiptKey() keys get a lifetime on another path only')])).toEqual([
      ['internal/receipts/store.go:7', true],
    ]);
    // Every path gives them one, or none does (a store of entries meant to stay is not this).
    expect(growth(store(true, true))).toEqual([]);
    expect(growth(store(false, false))).toEqual([]);
  });
});
