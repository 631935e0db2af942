import { it } from 'vitest';
import { readdirSync } from 'node:fs';
import { openBundle } from '../../src/bundle/index.js';
import { assessDiff } from '../../src/hands/analysis/risk-signals.js';
it('scan', async () => {
  const roots = [...readdirSync('/work/shared/incidents').filter(n => n.startsWith('inc')).map(n => `/work/shared/incidents/${n}`), ...readdirSync('fixtures').filter(n => !n.includes('.')).map(n => `fixtures/${n}`)];
  for (const root of roots) {
    const b = await openBundle(root);
    for (const d of await b.diffs()) {
      const kinds = process.env.KINDS!.split(',');
      for (const r of assessDiff(d).risks.filter(r => kinds.includes(r.kind))) console.log(root, d.path, r.kind, r.code, r.text);
    }
  }
}, 60000);
