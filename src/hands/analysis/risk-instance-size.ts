// A machine made smaller: a cloud instance, node or database class moved down its family's
// size ladder (`cache.r6g.xlarge` → `cache.r6g.large`, `n2-standard-8` → `n2-standard-4`,
// `Standard_D8s_v3` → `Standard_D4s_v3`). CPU, memory and network bandwidth all scale with the
// size, so the averages a right-sizing is judged by (CPU 7%, memory 32%) can fit while the
// busiest hour, or the one resource nobody looked at, no longer does.
import type { Judgement } from './risk-rules.js';
import { unquoted, type SettingValue } from './risk-values.js';

/** AWS sizes, in units of `large` (two vCPUs); `Nxlarge` is 2N of them. */
const AWS_SIZES: Record<string, number> = { nano: 1 / 16, micro: 1 / 8, small: 1 / 4, medium: 1 / 2, large: 1, xlarge: 2 };
/** `cache.r6g.xlarge`, `db.m5.2xlarge`, `c7gn.metal`: an optional service prefix, the family, the size. */
const AWS = /^((?:[a-z]+\.)?[a-z][a-z0-9-]*)\.(nano|micro|small|medium|large|xlarge|(\d{1,2})xlarge)$/;
/** `n2-standard-8`, `c2d-highcpu-16`: the family and its machine class, then the vCPUs. */
const GCP = /^([a-z][a-z0-9]*-(?:standard|highmem|highcpu|megamem|ultramem|hypermem)(?:-lssd)?)-(\d{1,3})$/;
/** `Standard_D8s_v3`, `Standard_E16ads_v5`: the series letter, the vCPUs, then the feature letters and version. */
const AZURE = /^(standard|basic)_([a-z]{1,3})(\d{1,3})([a-z-]*(?:_v\d+)?)$/;

interface Sized {
  family: string;
  units: number;
  /** The type as written, unquoted. */
  name: string;
}


/** The family of a machine type and how much of it there is; null for anything else. */
function sizeOf(value: SettingValue): Sized | null {
  const name = unquoted(value);
  const text = name.toLowerCase();
  if (text.length > 64) return null;
  const aws = AWS.exec(text);
  if (aws) {
    const units = aws[3] !== undefined ? 2 * Number(aws[3]) : AWS_SIZES[aws[2] as string];
    return units === undefined || !(units > 0) ? null : { family: `aws:${aws[1] as string}`, units, name };
  }
  const gcp = GCP.exec(text);
  if (gcp) return { family: `gcp:${gcp[1] as string}`, units: Number(gcp[2]), name };
  const azure = AZURE.exec(text);
  if (azure) return { family: `azure:${azure[1] as string}_${azure[2] as string}*${azure[4] as string}`, units: Number(azure[3]), name };
  return null;
}

/**
 * The verdict on a machine type changed within its family: made smaller, a capacity limit
 * tightened by the factor the size fell; made larger, loosened. Null when either side is not
 * a machine type, or the family changed (a new generation or class is not a size read off a ladder).
 */
export function judgeInstanceSize(label: string, o: SettingValue, n: SettingValue): Judgement | null {
  const [before, after] = [sizeOf(o), sizeOf(n)];
  if (before === null || after === null || before.family !== after.family || before.units === after.units) return null;
  const smaller = after.units < before.units;
  const factor = smaller ? before.units / after.units : after.units / before.units;
  const share = smaller ? `${Math.round((after.units / before.units) * 100)}% of the machine` : `${factor}× the machine`;
  return {
    risky: smaller,
    kind: 'limit_changed',
    direction: smaller ? 'tightened' : 'loosened',
    detail: smaller
      ? `${label} ${before.name} → ${after.name}: ${share}; CPU, memory and network bandwidth shrink with the size, so a peak or a resource the averages did not show may no longer fit`
      : `${label} ${before.name} → ${after.name}: ${share}`,
    factor,
    category: 'capacity',
  };
}
