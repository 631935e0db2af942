// Shapes of variable text. A log template keeps what the code printed literally and
// replaces what changed from call to call; without knowing the program, the shape of a
// token is the best evidence of which is which: numbers, ids, addresses, paths and the
// like vary, plain words do not.

/** The placeholder a variable position shows in a template. */
export const WILDCARD = '<*>';

// Short word plus a small index (ssh2, eth1, en0, SOCKS5, tty2, IPv6), the index also
// written in parentheses (`LOCAL(0)`, `fd(5)`): usually a fixed name, not a counter, so it
// stays a word and the miner's statistics decide.
const NAMED_INDEX = /^[A-Za-z]{2,10}(?:\d{1,2}|\(\d{1,2}\))$/;

const URL = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/\S*$/;
const ABSOLUTE_PATH = /^(?:[A-Za-z]:)?[\\/][^\s]+$/;
const RELATIVE_PATH = /^\.{0,2}[\w.~-]*(?:\/[\w.~*-]+){2,}\/?$/;
// `./run.sh`, `../lib`: a path from the current directory, however short.
const DOT_PATH = /^\.\.?\/[^\s/]/;
const IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}(?::\d{1,5})?$/;
const HEX_GROUPS = /^[0-9A-Fa-f]{0,4}(?:[:-][0-9A-Fa-f]{0,4}){2,}$/;
const CLOCK = /^\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?$/;
const HOST_PORT = /^[A-Za-z0-9]+(?:[.-][\w-]+)+:\d{1,5}$/;
// A lower-case letter then a capital: a camelCase name of code (`state.scrollTop:120` is
// a field and its value), which host names, case-insensitive, are not written in.
const CAMEL_CASE = /[a-z][A-Z]/;
const EMAIL = /^[\w.+-]+@[\w-]+(?:\.[\w-]+)+$/;
// Package and class identifiers in reverse-DNS form name a particular thing.
const REVERSE_DNS = /^(?:com|org|net|io|edu|gov)\.[\w$-]+(?:\.[\w$-]+)+/;
// A host name: dot-separated labels that end in a top-level domain of the generic kind, or
// in a country code under a generic second level (`cuhk.edu.hk`, `sch.ac.kr`, `co.uk`).
// Dotted code names (`mapred.task.id`, `system.time.showampm`) end in neither.
const GENERIC_TLDS = new Set(['com', 'net', 'org', 'edu', 'gov', 'mil', 'int', 'info', 'biz', 'io', 'local', 'localdomain', 'lan', 'internal', 'arpa']);
const GENERIC_SLDS = new Set(['ac', 'co', 'com', 'edu', 'gov', 'net', 'org', 'ne', 'or']);
const HOST_LABELS = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z]+$/;
// A terminal line: a tty (`tty1`, `ttyS0`, `ttyUSB0`) or a pseudo-terminal (`pts/3`).
const TERMINAL = /^(?:tty[A-Za-z]*\d+|pts\/\d+)$/;
// Hex digits only, long enough to be an id rather than a word (`feebff4`, `df0798e`).
const HEX_ID = /^[0-9a-f]{6,}$|^[0-9A-F]{6,}$/;
// A host name with a port, the host a single label with a digit (`en74:876`).
const NODE_PORT = /^[A-Za-z][A-Za-z-]*\d[\w-]*:\d{2,5}$/;

/** True for text that holds no letter or digit: brackets, separators, rules. */
export function isPunctuation(token: string): boolean {
  if (token === WILDCARD) return false;
  for (let i = 0; i < token.length; i++) {
    const c = token.charCodeAt(i);
    if ((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c > 127) return false;
  }
  return true;
}

/**
 * Shapes that must stay one token even though they contain delimiters the tokenizer
 * would otherwise split on (`:` in an address or a clock time, `/` in a path).
 */
export function isAtomicVariable(core: string): boolean {
  if (core.length < 2) return false;
  // One pass over the characters decides which patterns can apply at all; most tokens
  // are plain words and need none.
  let digit = false;
  let slash = false;
  let colon = false;
  let at = false;
  for (let i = 0; i < core.length; i++) {
    const c = core.charCodeAt(i);
    if (c >= 48 && c <= 57) digit = true;
    else if (c === 47 || c === 92) slash = true;
    else if (c === 58) colon = true;
    else if (c === 64) at = true;
  }
  if (colon && slash && URL.test(core)) return true;
  if (slash && (ABSOLUTE_PATH.test(core) || RELATIVE_PATH.test(core) || DOT_PATH.test(core))) return true;
  if (at && EMAIL.test(core)) return true;
  if (!digit) return false;
  return IPV4.test(core) || HEX_GROUPS.test(core) || (colon && (CLOCK.test(core) || (HOST_PORT.test(core) && !CAMEL_CASE.test(core)) || NODE_PORT.test(core)));
}

/**
 * A generated id of mixed-case letters with no digit in it (a mail queue id such as
 * `jJGlEVcUXFEJSb`): long, and with single lower-case letters between capitals, which
 * CamelCase names (`TaskAttemptImpl`, `getHostByName`) do not have twice.
 */
function isMixedCaseId(token: string): boolean {
  if (token.length < 10 || !LONELY_LOWER.test(token)) return false;
  let lonelyLower = 0;
  let upper = 0;
  for (let i = 0; i < token.length; i++) {
    const c = token.charCodeAt(i);
    const isUpper = c >= 65 && c <= 90;
    const isLower = c >= 97 && c <= 122;
    if (!isUpper && !isLower) return false;
    if (isUpper) upper++;
    else if (i > 0 && isUpperAt(token, i - 1) && (i + 1 === token.length || isUpperAt(token, i + 1))) lonelyLower++;
  }
  return upper >= 3 && lonelyLower >= 2;
}

// A lower-case letter between capitals (or after one, at the end): what a generated id has.
const LONELY_LOWER = /[A-Z][a-z](?:[A-Z]|$)/;

function isUpperAt(token: string, i: number): boolean {
  const c = token.charCodeAt(i);
  return c >= 65 && c <= 90;
}

// A boolean is the value of something, wherever it stands (`down true`, `ret:false`,
// `visible=TRUE`): programs print booleans from variables, almost never as a word of the
// format. Yes, no, on and off are left out: they are also the words of sentences.
const BOOLEANS = new Set(['true', 'false', 'True', 'False', 'TRUE', 'FALSE']);

/** Whether a single token, seen without context, has the shape of a variable. */
export function isVariableShape(token: string): boolean {
  if (token.length === 0) return false;
  if (token === WILDCARD) return true;
  const first = token.charCodeAt(0);
  if (token.length <= 5 && (first === 116 || first === 102 || first === 84 || first === 70) && BOOLEANS.has(token)) return true;
  // A quoted run kept whole by the tokenizer (it was a key's value).
  if ((first === 34 || first === 39) && token.length > 1 && token.charCodeAt(token.length - 1) === first) return true;
  // One pass says which shapes can apply: most tokens are plain words and need none.
  let digit = false;
  let dot = false;
  let upper = false;
  for (let i = 0; i < token.length; i++) {
    const c = token.charCodeAt(i);
    if (c >= 48 && c <= 57) digit = true;
    else if (c === 46) dot = true;
    else if (c >= 65 && c <= 90) upper = true;
  }
  if (digit) return !NAMED_INDEX.test(token) || HEX_ID.test(token) || TERMINAL.test(token);
  if (dot && token.length > 4 && (token.charCodeAt(3) === 46 || token.charCodeAt(2) === 46)) {
    if (REVERSE_DNS.test(token)) return true;
  }
  if (dot && isHostName(token)) return true;
  return (upper && isMixedCaseId(token)) || isAtomicVariable(token);
}

function isHostName(token: string): boolean {
  const dot = token.lastIndexOf('.');
  if (dot <= 0 || token.length - dot > 12) return false;
  const top = token.slice(dot + 1).toLowerCase();
  if (!GENERIC_TLDS.has(top)) {
    if (top.length !== 2) return false;
    const before = token.lastIndexOf('.', dot - 1);
    if (before <= 0 || !GENERIC_SLDS.has(token.slice(before + 1, dot).toLowerCase())) return false;
  }
  return HOST_LABELS.test(token);
}

/** A short name with a small index (`eth1`, `en0`, `tty2`): kept as a word alone, but one of a family when its neighbours vary. */
export function isNamedIndex(token: string): boolean {
  return NAMED_INDEX.test(token);
}

/** The token as a template shows it: the wildcard for variable shapes, else itself. */
export function maskToken(token: string): string {
  return isVariableShape(token) ? WILDCARD : token;
}

/** Every spelling a word list is likely to appear in: lower, Capitalised and UPPER case. */
function spellings(words: readonly string[], lower = true): Set<string> {
  const out = new Set<string>();
  for (const w of words) {
    if (lower) out.add(w);
    out.add(w.charAt(0).toUpperCase() + w.slice(1));
    out.add(w.toUpperCase());
  }
  return out;
}

const UNITS = spellings(['b', 'kb', 'mb', 'gb', 'tb', 'pb', 'kib', 'mib', 'gib', 'tib', 'ns', 'us', 'µs', 'ms', 's', 'sec', 'secs', 'min', 'mins', 'h', 'hr', 'hrs', '%']);
UNITS.add('KiB').add('MiB').add('GiB').add('TiB');

/** A unit after a number belongs to the value: "5.2 KB" and "93.0 B" are one shape. */
export function isUnit(token: string): boolean {
  return token.length <= 4 && UNITS.has(token);
}


const CALENDAR = spellings([
  'mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun',
  'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday',
  'jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'sept', 'oct', 'nov', 'dec',
  'january', 'february', 'march', 'april', 'june', 'july', 'august', 'september', 'october', 'november', 'december',
  // Lower case is left out: "may", "sun" and "mar" are ordinary words in messages.
], false);

/** Day and month names: part of a date when they stand next to numbers. */
export function isCalendarWord(token: string): boolean {
  return token.length >= 3 && token.length <= 9 && CALENDAR.has(token);
}
