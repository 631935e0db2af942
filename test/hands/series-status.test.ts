// A request counter split by status: the share with a failing status is errors, client errors
// (401s, 429s) included, never demand; the rest is traffic.
import { describe, expect, it } from 'vitest';
import { seriesMeaning } from '../../src/hands/analysis/series-meaning.js';

describe('request counters labelled with a status', () => {
  it.each([
    ['code', '401'],
    ['code', '429'],
    ['status', '4xx'],
    ['status_code', '503'],
  ])('%s="%s" measures errors, worse when it rises', (key, value) => {
    expect(seriesMeaning('http_requests_total', { [key]: value })).toMatchObject({ measures: 'errors', worseWhen: 'up' });
  });

  it('a success status is traffic', () => {
    expect(seriesMeaning('http_requests_total', { code: '200' })).toMatchObject({ measures: 'traffic' });
  });
});
