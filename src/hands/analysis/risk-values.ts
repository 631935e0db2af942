// The value of a setting as written in code or config, read into something comparable: a
// duration in seconds, a size in bytes, CPU in cores, a percentage, a plain number, a boolean,
// or a name (a constant defined elsewhere). `30s`, `"30s"`, `30 * time.Second`,
// `Duration.ofSeconds(30)`, `timedelta(seconds=30)` and `30_000` with a `_ms` key all read
// as the same duration.

export type Dimension = 'duration' | 'bytes' | 'cpu' | 'percent' | 'plain';

export type SettingValue =
  | { type: 'number'; value: number; dimension: Dimension; text: string }
  | { type: 'boolean'; value: boolean; text: string }
  | { type: 'name'; name: string; text: string }
  | { type: 'other'; text: string };

const DURATION_UNITS: Record<string, number> = {
  ns: 1e-9, nanos: 1e-9, nanoseconds: 1e-9, nanosecond: 1e-9,
  us: 1e-6, µs: 1e-6, micros: 1e-6, microseconds: 1e-6, microsecond: 1e-6,
  ms: 1e-3, millis: 1e-3, milliseconds: 1e-3, millisecond: 1e-3,
  s: 1, sec: 1, secs: 1, second: 1, seconds: 1,
  m: 60, min: 60, mins: 60, minute: 60, minutes: 60,
  h: 3600, hr: 3600, hrs: 3600, hour: 3600, hours: 3600,
  d: 86400, day: 86400, days: 86400,
  w: 604800, week: 604800, weeks: 604800,
};
const BYTE_UNITS: Record<string, number> = {
  b: 1, k: 1e3, kb: 1e3, m: 1e6, mb: 1e6, g: 1e9, gb: 1e9, t: 1e12, tb: 1e12,
  ki: 1024, kib: 1024, mi: 1024 ** 2, mib: 1024 ** 2, gi: 1024 ** 3, gib: 1024 ** 3, ti: 1024 ** 4, tib: 1024 ** 4,
};
const TRUE = new Set(['true', 'yes', 'on', 'enabled', 'enable']);
const FALSE = new Set(['false', 'no', 'off', 'disabled', 'disable']);

const KEY_UNITS: Record<string, { dimension: Dimension; scale: number }> = {
  ns: { dimension: 'duration', scale: 1e-9 }, nanos: { dimension: 'duration', scale: 1e-9 },
  us: { dimension: 'duration', scale: 1e-6 }, micros: { dimension: 'duration', scale: 1e-6 },
  ms: { dimension: 'duration', scale: 1e-3 }, millis: { dimension: 'duration', scale: 1e-3 }, milliseconds: { dimension: 'duration', scale: 1e-3 },
  s: { dimension: 'duration', scale: 1 }, sec: { dimension: 'duration', scale: 1 }, secs: { dimension: 'duration', scale: 1 },
  seconds: { dimension: 'duration', scale: 1 }, min: { dimension: 'duration', scale: 60 }, mins: { dimension: 'duration', scale: 60 },
  minutes: { dimension: 'duration', scale: 60 }, hours: { dimension: 'duration', scale: 3600 }, days: { dimension: 'duration', scale: 86400 },
  bytes: { dimension: 'bytes', scale: 1 }, kb: { dimension: 'bytes', scale: 1e3 }, mb: { dimension: 'bytes', scale: 1e6 },
  gb: { dimension: 'bytes', scale: 1e9 }, kib: { dimension: 'bytes', scale: 1024 }, mib: { dimension: 'bytes', scale: 1024 ** 2 },
  gib: { dimension: 'bytes', scale: 1024 ** 3 }, pct: { dimension: 'percent', scale: 1 }, percent: { dimension: 'percent', scale: 1 },
  percentage: { dimension: 'percent', scale: 1 },
};

/** The unit a key names for its bare numbers, by its last word: `timeout_ms`, `ttlSeconds`, `max_body_mb`. */
export function keyUnit(key: string): { dimension: Dimension; scale: number } | null {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9µ]+/)
    .filter((w) => w !== '');
  const last = (words[words.length - 1] ?? '').toLowerCase();
  return KEY_UNITS[last] ?? null;
}

function unquote(text: string): string {
  const t = text.trim();
  return /^(["'`]).*\1$/.test(t) ? t.slice(1, -1).trim() : t;
}

function numberOf(text: string): number | null {
  const cleaned = text.replace(/_/g, '');
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i.test(cleaned)) return null;
  const n = Number(cleaned);
  return Number.isFinite(n) ? n : null;
}

/** `60 * 60 * 1000`, `5 * time.Second`, `time.Second * 5`, `Duration.ofMinutes(10)`, `timedelta(minutes=5)`, `5.seconds`. */
function expressionDuration(text: string): number | null {
  const java = /^(?:java\.time\.)?Duration\.of(Nanos|Millis|Seconds|Minutes|Hours|Days)\(\s*([\d_.]+)L?\s*\)$/.exec(text);
  if (java) return (numberOf(java[2] ?? '') ?? NaN) * (DURATION_UNITS[(java[1] ?? '').toLowerCase()] ?? NaN);
  const unit = /^TimeUnit\.(NANOSECONDS|MICROSECONDS|MILLISECONDS|SECONDS|MINUTES|HOURS|DAYS)\.to\w+\(\s*([\d_.]+)L?\s*\)$/.exec(text);
  if (unit) return (numberOf(unit[2] ?? '') ?? NaN) * (DURATION_UNITS[(unit[1] ?? '').toLowerCase()] ?? NaN);
  const python = /^(?:datetime\.)?timedelta\(\s*(\w+)\s*=\s*([\d_.]+)\s*\)$/.exec(text);
  if (python) return (numberOf(python[2] ?? '') ?? NaN) * (DURATION_UNITS[(python[1] ?? '').toLowerCase()] ?? NaN);
  const kotlin = /^([\d_.]+)\.(milliseconds|seconds|minutes|hours|days)$/.exec(text);
  if (kotlin) return (numberOf(kotlin[1] ?? '') ?? NaN) * (DURATION_UNITS[kotlin[2] ?? ''] ?? NaN);
  // Go: a product of numbers and time.Unit constants.
  const factors = text.split('*').map((f) => f.trim());
  if (factors.length > 1 && factors.some((f) => /^time\.(Nanosecond|Microsecond|Millisecond|Second|Minute|Hour)$/.test(f))) {
    let product = 1;
    for (const f of factors) {
      const goUnit = /^time\.(\w+)$/.exec(f);
      const n = goUnit ? DURATION_UNITS[(goUnit[1] ?? '').toLowerCase()] : numberOf(f.replace(/^time\.Duration\((.+)\)$/, '$1'));
      if (n === undefined || n === null) return null;
      product *= n;
    }
    return product;
  }
  return null;
}

/** Reads a value; `cpuKey` makes `500m` millicores instead of minutes. */
export function parseValue(raw: string, options: { key?: string } = {}): SettingValue {
  const text = raw.trim().replace(/[,;]+$/, '').trim();
  const inner = unquote(text);
  const lower = inner.toLowerCase();
  if (TRUE.has(lower)) return { type: 'boolean', value: true, text };
  if (FALSE.has(lower)) return { type: 'boolean', value: false, text };
  const key = options.key ?? '';
  const cpu = /cpu/i.test(key);
  const plain = numberOf(inner.replace(/L$/, ''));
  if (plain !== null) {
    const unit = keyUnit(key);
    if (unit) return { type: 'number', value: plain * unit.scale, dimension: unit.dimension, text };
    return { type: 'number', value: plain, dimension: cpu ? 'cpu' : 'plain', text };
  }
  const withUnit = /^([+-]?[\d_]*\.?\d+)\s*([a-zµ]+|%)$/i.exec(inner);
  if (withUnit) {
    const n = numberOf(withUnit[1] ?? '') as number;
    const unit = (withUnit[2] ?? '').toLowerCase();
    if (unit === '%') return { type: 'number', value: n, dimension: 'percent', text };
    if (cpu && unit === 'm') return { type: 'number', value: n / 1000, dimension: 'cpu', text };
    const memoryish = /mem|heap|size|bytes|buffer|storage|disk|limit|request/i.test(key) && !/time|ttl|age|interval|delay|period/i.test(key);
    if (unit in BYTE_UNITS && (memoryish || !(unit in DURATION_UNITS))) return { type: 'number', value: n * (BYTE_UNITS[unit] as number), dimension: 'bytes', text };
    if (unit in DURATION_UNITS) return { type: 'number', value: n * (DURATION_UNITS[unit] as number), dimension: 'duration', text };
  }
  // Durations composed Go-style: 1h30m, 2m30s.
  if (/^(\d+(\.\d+)?(h|m|s|ms))+$/.test(lower) && /\d[hms]\d/.test(lower)) {
    let seconds = 0;
    for (const part of lower.matchAll(/(\d+(?:\.\d+)?)(ms|h|m|s)/g)) seconds += Number(part[1]) * (DURATION_UNITS[part[2] ?? ''] ?? 0);
    return { type: 'number', value: seconds, dimension: 'duration', text };
  }
  // ISO-8601 durations, as Spring, java.time and .NET configs write them: PT15M, PT20S, P1DT2H,
  // and the date part's years, months and weeks (P25M is twenty-five months, not minutes: only
  // after the T is M a minute). A month is read as 30 days and a year as 365.
  const iso = /^P(?:(\d+(?:\.\d+)?)Y)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i.exec(inner);
  if (iso && /\d/.test(inner) && !/T$/i.test(inner)) {
    const [years, months, weeks, days, hours, minutes, seconds] = iso.slice(1, 8).map((x) => Number(x ?? 0)) as [number, number, number, number, number, number, number];
    const value = ((years * 365 + months * 30 + weeks * 7 + days) * 86400) + hours * 3600 + minutes * 60 + seconds;
    return { type: 'number', value, dimension: 'duration', text };
  }
  const duration = expressionDuration(inner);
  if (duration !== null && Number.isFinite(duration)) return { type: 'number', value: duration, dimension: 'duration', text };
  // Plain arithmetic of numbers: 60 * 60 * 1000.
  if (/^[\d_.\s*]+$/.test(inner) && inner.includes('*')) {
    const product = inner.split('*').reduce<number | null>((acc, f) => (acc === null ? null : ((n) => (n === null ? null : acc * n))(numberOf(f.trim()))), 1);
    if (product !== null) {
      const unit = keyUnit(key);
      return { type: 'number', value: product * (unit?.scale ?? 1), dimension: unit?.dimension ?? 'plain', text };
    }
  }
  if (/^[A-Za-z_][\w.]*$/.test(inner) && inner === text) return { type: 'name', name: inner, text };
  return { type: 'other', text };
}

/** A word value as written, without the quotes around it (`"GLACIER"` → `GLACIER`). */
export function unquoted(value: SettingValue): string {
  return (value.type === 'name' ? value.name : value.text).replace(/^["']|["']$/g, '').trim();
}

/** Whether two values can be compared as numbers (same dimension, or both plain). */
export function comparable(a: SettingValue, b: SettingValue): boolean {
  return a.type === 'number' && b.type === 'number' && a.dimension === b.dimension;
}

const BINARY_POWER: Record<string, number> = { k: 1, kb: 1, m: 2, mb: 2, g: 3, gb: 3, t: 4, tb: 4 };
/** A size's unit letters, by the decimal multiple each stands for. */
const SIZE_LETTERS: ReadonlyArray<[string, number]> = [['K', 1e3], ['M', 1e6], ['G', 1e9], ['T', 1e12]];

/**
 * How a program prints a value in its messages: a size in bytes (a decimal unit read both
 * ways, since `1MB` is 1048576 to gRPC and the JVM, 1000000 to others) and with its unit
 * (`18G`, `18GB`, `18Gi`), a duration in milliseconds and in seconds, a plain number as it is.
 */
export function printedForms(value: SettingValue): string[] {
  if (value.type !== 'number' || !(value.value > 0)) return [];
  const forms: Array<number | string> = [];
  if (value.dimension === 'bytes') {
    forms.push(value.value);
    const unit = /^\s*["'`]?\s*([\d_.]+)\s*([a-z]+)\b/i.exec(value.text);
    const power = BINARY_POWER[(unit?.[2] ?? '').toLowerCase()];
    if (unit !== null && power !== undefined) forms.push(Number((unit[1] ?? '').replace(/_/g, '')) * 1024 ** power);
    // And as a size with its unit, the way schedulers and runtimes print a limit (`mem=18G`).
    const scale = [...SIZE_LETTERS].reverse().find(([, bytes]) => value.value >= bytes && Number.isInteger(value.value / bytes));
    if (scale !== undefined) {
      const n = value.value / scale[1];
      forms.push(`${n}${scale[0]}`, `${n}${scale[0]}B`, `${n}${scale[0]}i`, `${n}${scale[0]}iB`);
    }
  } else if (value.dimension === 'duration') forms.push(Number((value.value * 1000).toFixed(3)), value.value);
  else if (value.dimension === 'plain') forms.push(value.value);
  return [...new Set(forms.filter((n) => typeof n === 'string' || (Number.isInteger(n) && n > 0)).map(String))];
}
