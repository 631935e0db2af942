// problems.json: what the bundle's assembler could not get joins the bundle's problems, so
// describe_bundle (which lists the index's problems) says it wherever the bundle is read.
import { describe, expect, it } from 'vitest';
import { openBundle } from '../../src/bundle/index.js';
import { writeBundle } from './helpers.js';

describe('problems.json', () => {
  it('joins the bundle problems, each under the part it affects, and is not an unknown file', async () => {
    const root = await writeBundle({
      'incident.yaml': 'title: checkout errors\nservice: checkout\nstarted_at: 2026-11-20T14:00:00Z\n',
      'problems.json': JSON.stringify({
        problems: [
          { source: 'prometheus http://prom:9090', path: 'metrics/', message: 'cannot reach http://prom:9090/api/v1/series: connection refused' },
          { source: 'logs kubectl logs deploy/checkout', message: 'printed nothing in the window' },
          'a note in plain words',
          { source: 'ignored', note: 'an entry without a message says nothing' },
        ],
      }),
    });
    const index = await (await openBundle(root)).index();
    expect(index.problems).toEqual([
      { path: 'metrics/', message: 'prometheus http://prom:9090: cannot reach http://prom:9090/api/v1/series: connection refused' },
      { path: 'problems.json', message: 'logs kubectl logs deploy/checkout: printed nothing in the window' },
      { path: 'problems.json', message: 'a note in plain words' },
    ]);
    expect(index.unknown).toEqual([]);
  });

  it('that cannot be read is itself a problem', async () => {
    const root = await writeBundle({ 'problems.json': '{"problems": [' });
    const index = await (await openBundle(root)).index();
    expect(index.problems).toEqual([{ path: 'problems.json', message: expect.stringMatching(/^not valid JSON: /) }]);
  });
});
