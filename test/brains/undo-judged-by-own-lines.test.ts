// An undo judged in the logs is judged by the lines of what the symptoms or the undone change are
// about. A portal that began to warn of a slow captcha as the incident began, and stopped by
// chance as the paged service's release was rolled back, says nothing of that rollback: the
// paged service's own failures went on, and the release is no cause.
import { describe, expect, it } from 'vitest';
import { syntheticRunner, verdict } from './helpers.js';
import { every, patch, type BundleSpec } from './synthetic.js';

const run = syntheticRunner('undo-judged-by-own-lines', { start: '2037-07-08T22:00:00Z', minutes: 180, stepSeconds: 60 });

const changes: BundleSpec['changes'] = [
  {
    id: 'deploy-citations-39',
    service: 'citations',
    type: 'deploy',
    at: 92,
    summary: 'citations 3.9.0: photo thumbnails in notice PDF',
    diff: patch('src/notice/pdf.kt', ['    val pages = render(notice)'], ['    val pages = render(notice, thumbnails = true)']),
  },
  { id: 'rb-citations-39', service: 'citations', type: 'rollback', at: 131, summary: 'roll back citations 3.9.0', attributes: { reverts: 'deploy-citations-39' } },
];

const logs: BundleSpec['logs'] = {
  citations: [...every(0, 180, 1, 'info', 'citation issued'), ...every(100.2, 180, 1, 'error', 'citation issued for permit evaluated EXPIRED valid_until=today')],
  portal: [...every(0, 180, 1, 'info', 'page served'), ...every(99.6, 130, 0.2, 'warn', 'recaptcha verify slow')],
};

const alert = { title: 'CitationIssuanceAnomaly', service: 'citations', at: 113 };

describe('an undo judged in the logs', () => {
  it('is judged by the lines of the service the symptoms are about, not another that went quiet by chance', async () => {
    const r = await run({ alert, series: [], changes, logs });
    expect(verdict(r).change_id).not.toBe('deploy-citations-39');
  });
});
