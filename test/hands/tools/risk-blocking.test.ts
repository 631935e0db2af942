import { describe, expect, it } from 'vitest';
import { patch, placesOf } from './helpers/patch.js';

const waits = (...patches: string[]): Array<[string, string]> => placesOf('blocking_wait', ...patches);

describe('an awaited call turned into a blocking wait', () => {
  it('finds it in C#, Java and Python', () => {
    expect(
      waits(
        patch('src/Coverage/CoverageService.cs', 30, [
          '-    public async Task<Coverage> GetAsync(string id, CancellationToken ct)',
          '+    public Coverage Get(string id)',
          '     {',
          '-        var result = await _payer.CheckAsync(id, ct).ConfigureAwait(false);',
          '-        return result;',
          '+        return _cache.GetOrCreate(id, entry =>',
          '+        {',
          '+            return _payer.CheckAsync(id, CancellationToken.None)',
          '+                .GetAwaiter()',
          '+                .GetResult();',
          '+        })!;',
          '     }',
        ]),
        patch('src/main/java/shop/Quotes.java', 12, ['-        Quote q = await(client.quoteAsync(sku));', '-        return await client.quoteAsync(sku);', '+        return client.quoteAsync(sku).join();']),
        patch('app/rates.py', 8, ['-    rates = await fetch_rates(pair)', '+    rates = asyncio.run(fetch_rates(pair))']),
      ),
    ).toEqual([
      ['src/Coverage/CoverageService.cs:35', '.GetAwaiter()'],
      ['src/main/java/shop/Quotes.java:12', 'return client.quoteAsync(sku).join();'],
      ['app/rates.py:8', 'rates = asyncio.run(fetch_rates(pair))'],
    ]);
  });

  it('says nothing when the call is still awaited, or nothing was awaited before', () => {
    expect(
      waits(
        patch('app/a.py', 8, ['-    rates = await fetch_rates(pair)', '+    rates = await fetch_rates(pair, timeout=2)', '+    total = sum(x.result() for x in done)']),
        patch('src/b.cs', 8, ['-    var n = Count(items);', '+    var n = CountAsync(items).Result;']),
      ),
    ).toEqual([]);
  });
});
