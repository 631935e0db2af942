// What a saturated service's own logs say about it: the first fresh warning or error it wrote
// after the onset ("queue full", "pool exhausted"), cited beside the metrics that show it full.
import { freshTemplate, servicesOfRef, type Case } from './case.js';
import { finding, type Finding } from './model.js';

/** The service's own new or spiking problem line after the onset, as a finding; null when it wrote none. */
export function saturationLogged(c: Case, service: string): Finding | null {
  const logged = freshTemplate(c, (t) => servicesOfRef(c, t.example).includes(service));
  if (!logged) return null;
  return finding('saturation_logged', `${service}'s logs show it: "${logged.template}" (${logged.flag}, ${logged.example})`, [
    { source: 'logs', ref: logged.example, detail: `${logged.flag} after the onset: ${logged.template}` },
  ]);
}
