// Follow-up questions after the diagnosis. The offline engine answers what its tools can:
// it reads the question for what it asks (search the logs for a phrase, show a metric around
// a time, what a change touched, why a change was or was not blamed), runs the calls that
// answer it and says what they returned. Anything else gets one line saying what it can do.
import type { Investigation } from './investigate.js';
import { iso } from './json.js';
import { departure } from './onset.js';
import { listing, level, plural } from './prose.js';
import type { Measure } from '../../protocol/results/index.js';
import { readMatches, readSeriesValues, resultOf, type ChangeInfo, type SeriesInfo } from './read.js';
import { readDiff } from './read-diff.js';
import type { Replay } from './replay.js';
import { findingTexts } from './suspects.js';
import { escapeRegExp } from '../../regexp.js';

const CAPABILITIES =
  'Offline I can search the logs for a phrase ("search the logs for connection refused"), show a metric around a time ("show checkout latency around 14:05"), ' +
  'say what a change touched ("what did deploy-42 change?") and why a change was or was not blamed ("why not cfg-7?"). ' +
  'With ANTHROPIC_API_KEY set, Claude answers free-form questions.';

const QUOTED = /["'“‘`]([^"'”’`]{2,200})["'”’`]/;
const SEARCH = /\b(?:search|grep|look|find|check)\b[^?]*?\blogs?\b[^?]*?\b(?:for|about|mentioning|with)\b\s*(.+?)\s*[?.!]*$/i;
const MENTION = /\blogs?\b[^?]*?\b(?:mention|contain|say|show)s?\b\s*(.+?)\s*[?.!]*$/i;

/** The phrase a question asks the logs for, when it asks the logs. */
export function logPhrase(question: string): string | null {
  if (!/\blogs?\b/i.test(question)) return null;
  const quoted = QUOTED.exec(question)?.[1];
  if (quoted) return quoted.trim();
  const phrase = SEARCH.exec(question)?.[1] ?? MENTION.exec(question)?.[1];
  return phrase ? phrase.replace(/^(the|a|an)\s+/i, '').trim() : null;
}

/** A change id the question names, from the changes the investigation listed. */
function namedChange(question: string, changes: readonly ChangeInfo[]): ChangeInfo | null {
  const lower = question.toLowerCase();
  return [...changes].sort((a, b) => b.id.length - a.id.length).find((c) => new RegExp(`(?<![\\w-])${escapeRegExp(c.id.toLowerCase())}(?![\\w-])`).test(lower)) ?? null;
}

const SIGNAL_WORDS: Array<{ word: RegExp; kind: Measure | null; name: RegExp | null }> = [
  { word: /\bcpu\b/i, kind: null, name: /cpu/i },
  { word: /\bmemory|\bmem\b|\bheap\b|\brss\b/i, kind: null, name: /mem|heap|rss|working_set/i },
  { word: /\blatenc|\bslow|\bp9\d|\bp50|\bduration/i, kind: 'latency', name: null },
  { word: /\berrors?\b|\b5xx|\bfailures?\b/i, kind: 'errors', name: null },
  { word: /\btraffic\b|\brequests?\b|\brate\b|\bthroughput|\brps\b|\bload\b/i, kind: 'traffic', name: null },
  { word: /\bpool\b|\bconnections?\b/i, kind: null, name: /pool|conn/i },
  { word: /\bqueue|\blag\b|\bbacklog/i, kind: null, name: /queue|lag|backlog|pending/i },
  { word: /\bdisk\b|\bvolume\b|\bfilesystem/i, kind: null, name: /disk|filesystem|volume|fs_/i },
];

/** Series the question asks about: of a service it names, matching the signal words it uses, or named outright. */
function askedSeries(question: string, series: readonly SeriesInfo[], services: readonly string[]): SeriesInfo[] {
  const lower = question.toLowerCase();
  const byName = series.filter((s) => s.name.length >= 6 && lower.includes(s.name.toLowerCase()));
  const service = [...services].sort((a, b) => b.length - a.length).find((s) => lower.includes(s.toLowerCase())) ?? null;
  const words = SIGNAL_WORDS.filter((w) => w.word.test(question));
  const pool = byName.length > 0 ? byName : series.filter((s) => service === null || s.service === service);
  if (words.length === 0) return byName.length > 0 ? byName : [];
  return pool.filter((s) => words.some((w) => (w.name !== null && w.name.test(s.name)) || (w.kind !== null && s.meaning.measures === w.kind)));
}

/** A time the question gives (`14:05`, `14:05:30`, an RFC 3339 time), on the incident's day. */
function askedTime(question: string, reference: number): number | null {
  const full = /\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})\b/.exec(question)?.[0];
  if (full) return Date.parse(full);
  const clock = /\b([01]?\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?\b/.exec(question);
  if (!clock) return null;
  const day = new Date(reference);
  return Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate(), Number(clock[1]), Number(clock[2]), Number(clock[3] ?? 0));
}

/** Words a phrase is made of, for a search that lets other words stand between them. */
const WORD = /[A-Za-z0-9]+/g;
/** Words that may stand between the asked ones ("frame too big" finds "Frame is too big"). */
const WORDS_BETWEEN = 3;
/** A phrase longer than this is a sentence, not words to find: it is looked for only as written. */
const MAX_LOOSE_WORDS = 8;

async function searchLogs(r: Replay, phrase: string): Promise<void> {
  const reply = await r.call('search_logs', { pattern: phrase, ignore_case: true, max_matches: 5 });
  const result = resultOf('search_logs', reply);
  if (result === null) {
    r.say(`The log search for "${phrase}" failed: ${reply.text}`);
    return;
  }
  if (readMatches(result).total > 0) {
    r.say(foundLines(result, `mention "${phrase}"`));
    return;
  }
  // Nothing says it as written: look for its words in that order, with a few others between
  // them, as a person reading the logs would ("frame too big" in "Frame is too big").
  const words = phrase.match(WORD) ?? [];
  if (words.length >= 2 && words.length <= MAX_LOOSE_WORDS) {
    const pattern = words.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join(`\\W+(?:\\w+\\W+){0,${WORDS_BETWEEN}}`);
    const loose = resultOf('search_logs', await r.call('search_logs', { pattern, regex: true, ignore_case: true, max_matches: 5 }));
    if (loose !== null && readMatches(loose).total > 0) {
      r.say(`No log line says "${phrase}" as written; ${foundLines(loose, 'have those words in that order')}`);
      return;
    }
  }
  r.say(`No log line mentions "${phrase}".`);
}

/** What a search found, in one sentence: how many lines, when the first was, and a few of them. */
function foundLines(result: NonNullable<ReturnType<typeof resultOf<'search_logs'>>>, what: string): string {
  const { total, matches } = readMatches(result);
  const shown = matches.slice(0, 3).map((m) => `${m.ref}${m.t === null ? '' : ` (${iso(m.t)})`}: ${m.text.slice(0, 200)}`);
  const times = matches.map((m) => m.t).filter((t): t is number => t !== null);
  // The lines shown come in file order; the histogram over every match says when the first was.
  const firstBucket = result.over_time.counts.find(([, n]) => n > 0)?.[0];
  const bucketStart = firstBucket === undefined ? null : Date.parse(firstBucket);
  const shownFirst = times.length > 0 ? Math.min(...times) : null;
  const span =
    bucketStart !== null && (shownFirst === null || bucketStart + result.over_time.bucket_seconds * 1000 <= shownFirst)
      ? `, the first between ${iso(bucketStart)} and ${iso(bucketStart + result.over_time.bucket_seconds * 1000)}`
      : shownFirst !== null
        ? `, the first at ${iso(shownFirst)}`
        : '';
  return `${plural(total, 'log line')} ${what}${span}. ${shown.length > 1 ? 'For example' : 'It reads'}: ${shown.join(' | ')}`;
}

async function showDiff(r: Replay, change: ChangeInfo): Promise<void> {
  if (change.diff === null) {
    r.say(`${change.id} (${change.type} of ${change.service ?? 'no service'}, ${iso(change.at)}) has no diff in the bundle; its record says: "${change.summary}".`);
    return;
  }
  const reply = await r.call('get_diff', { change_id: change.id, limit: 5 });
  const result = resultOf('get_diff', reply);
  const diff = result === null ? null : readDiff(result);
  if (!diff) {
    r.say(`The diff of ${change.id} could not be read: ${reply.text}`);
    return;
  }
  const risks = diff.riskSignals.map((s) => `${s.detail} (${s.code})`);
  r.say(
    `${change.id} ("${change.summary}") touched ${plural(diff.files.length, 'file')}${diff.files.length > 0 ? ` (${listing(diff.files.slice(0, 5))})` : ''}. ` +
      (risks.length > 0 ? `Edits that could matter: ${listing(risks.slice(0, 4))}.` : 'None of its edits looks risky by what it does.'),
  );
}

function whyOrWhyNot(state: Investigation, change: ChangeInfo): string {
  const suspect = state.suspects.find((s) => s.change.id === change.id);
  const { conclusion } = state;
  if (conclusion.kind === 'change' && conclusion.suspect.change.id === change.id) {
    return `${change.id} was blamed: ${listing(findingTexts(conclusion.suspect))}.`;
  }
  if (!suspect) return `${change.id} was not weighed: it is not among the changes the tools returned.`;
  if (suspect.ruledOut !== null) return `${change.id} is not the cause: ${suspect.ruledOut}.`;
  const verdict =
    conclusion.kind === 'change'
      ? `the case against ${conclusion.suspect.change.id}, the change blamed, is stronger`
      : conclusion.kind === 'cause'
        ? `${conclusion.cause.statement} explains the symptoms better`
        : conclusion.reason;
  return `${change.id} was weighed and not blamed (${verdict}). What was found: ${listing(findingTexts(suspect))}.`;
}

async function showMetrics(r: Replay, state: Investigation, series: readonly SeriesInfo[], at: number | null): Promise<void> {
  const center = at ?? state.episode.onset;
  const asked = series.slice(0, 6);
  const reply = await r.call('query_metrics', { series: asked.map((s) => s.id), from: iso(center - 45 * 60_000), to: iso(center + 30 * 60_000), max_points: 120, limit: asked.length });
  const result = resultOf('query_metrics', reply);
  if (result === null) {
    r.say(`The metrics could not be read: ${reply.text}`);
    return;
  }
  const lines = readSeriesValues(result).map((values) => {
    const moved = departure(values, center + 15 * 60_000, center);
    if (moved === null) {
      const numbers = values.values.filter((v): v is number => v !== null);
      const last = numbers[numbers.length - 1];
      return `${values.id} held steady${last === undefined ? '' : ` (about ${level(last)})`}`;
    }
    return `${values.id} went ${moved.direction} from ${level(moved.before)} to ${level(moved.after)} at ${iso(moved.onset)}`;
  });
  r.say(`Around ${iso(center)}: ${lines.length > 0 ? listing(lines) : 'no values in that window'}.`);
}

/** Answers one follow-up question with the calls it needs, or says in one line what it can answer offline. */
export async function answerFollowUp(r: Replay, question: string, state: Investigation | null): Promise<void> {
  const phrase = logPhrase(question);
  if (phrase !== null) {
    await searchLogs(r, phrase);
    return;
  }
  if (state === null) {
    r.say(`There is no finished investigation to answer from. ${CAPABILITIES}`);
    return;
  }
  const change = namedChange(question, state.case.changes);
  if (change !== null) {
    if (/\bwhy\b/i.test(question)) r.say(whyOrWhyNot(state, change));
    else await showDiff(r, change);
    return;
  }
  const series = askedSeries(question, state.case.series, state.case.topology.services);
  if (series.length > 0) {
    await showMetrics(r, state, series, askedTime(question, state.case.alertAt));
    return;
  }
  r.say(`I can't answer that offline. ${CAPABILITIES}`);
}
