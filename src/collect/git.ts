// Changes from a git repository: the commits and merges on the deployed line (HEAD, or the
// ref given, followed by first parent: a merge is one change, the commits it brought are
// not) and the tags made in the window. Each becomes a changes.yaml entry, with its
// `git show` patch under diffs/<id>.patch (cut to the patch cap, and said so).
import { stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { parseTime } from '../bundle/index.js';
import { changeService, changeType } from './change-rules.js';
import { captureCommand, failureLine, type CommandOptions } from './command.js';
import type { CollectProblem } from './problems.js';
import { SourceError } from './problems.js';
import type { Window } from './window.js';

/** One entry of changes.yaml as the collector writes it. */
export interface ChangeEntry {
  id: string;
  service: string;
  type: string;
  at: string;
  author?: string;
  commit?: string;
  summary?: string;
  diff?: string;
  version?: string;
  repo?: string;
  [attribute: string]: unknown;
}

export interface GitChanges {
  changes: ChangeEntry[];
  /** Patches to write: bundle path → text. */
  patches: Map<string, string>;
  problems: CollectProblem[];
}

export interface GitCollectOptions {
  repo: string;
  ref: string;
  window: Window;
  mapping: Readonly<Record<string, string>>;
  knownServices: ReadonlySet<string>;
  maxChanges: number;
  patchBytes: number;
  command: CommandOptions;
}

const FIELD = '\u001f';
const RECORD = '\u001e';
/** git's listings are short; a cap keeps a runaway repository from filling memory. */
const LISTING_BYTES = 8 * 1024 * 1024;

interface Commit {
  sha: string;
  parents: string[];
  author: string;
  at: number;
  subject: string;
  files: string[];
}

async function git(args: readonly string[], options: GitCollectOptions, cwd: string, maxBytes = LISTING_BYTES): Promise<{ text: string; truncated: boolean }> {
  const out = await captureCommand(['git', '-c', 'core.quotepath=off', '--no-pager', ...args], { ...options.command, cwd, maxBytes });
  if (!out.stopped && (out.code !== 0 || out.timedOut)) throw new SourceError(failureLine(out, `git ${args[0] ?? ''}`, options.command.timeoutMs));
  return { text: out.stdout, truncated: out.truncated };
}

/** The repository's top folder; a SourceError when the path is missing or no repository. */
async function topLevel(options: GitCollectOptions): Promise<string> {
  const path = resolve(options.repo);
  const info = await stat(path).catch(() => null);
  if (info === null) throw new SourceError(`${options.repo} does not exist`);
  if (!info.isDirectory()) throw new SourceError(`${options.repo} is not a folder, so not a git repository`);
  const out = await captureCommand(['git', 'rev-parse', '--show-toplevel'], { ...options.command, cwd: path, maxBytes: 64 * 1024 });
  if (out.code !== 0) {
    const said = out.stderr.toLowerCase().includes('not a git repository') ? 'is not a git repository' : failureLine(out, 'git rev-parse', options.command.timeoutMs);
    throw new SourceError(`${options.repo} ${said}`);
  }
  return out.stdout.trim() || path;
}

function parseCommits(text: string): Commit[] {
  const commits: Commit[] = [];
  for (const record of text.split(RECORD)) {
    const lines = record.split('\n');
    const header = lines.shift() ?? '';
    const [sha, parents, author, date, subject] = header.split(FIELD);
    const at = parseTime(date);
    if (!sha || at === null) continue;
    commits.push({
      sha,
      parents: (parents ?? '').split(' ').filter((p) => p !== ''),
      author: author ?? '',
      at,
      subject: subject ?? '',
      files: lines.map((line) => line.trim()).filter((line) => line !== ''),
    });
  }
  return commits;
}

interface Tag {
  name: string;
  commit: string;
  at: number;
  subject: string;
  tagger: string;
}

function parseTags(text: string): Tag[] {
  return text
    .split('\n')
    .map((line) => line.split(FIELD))
    .map(([name, object, peeled, date, subject, tagger]) => ({ name: name ?? '', commit: peeled || object || '', at: parseTime(date) ?? Number.NaN, subject: subject ?? '', tagger: tagger ?? '' }))
    .filter((tag) => tag.name !== '' && tag.commit !== '' && Number.isFinite(tag.at));
}

function idPart(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[-.]+|[-.]+$/g, '') || 'repo';
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

export async function collectGit(options: GitCollectOptions): Promise<GitChanges> {
  const top = await topLevel(options);
  const repoName = basename(top);
  const repoId = idPart(repoName);
  const rules = { repoName, mapping: options.mapping, known: options.knownServices };
  const problems: CollectProblem[] = [];
  const source = `git ${options.repo}`;
  const since = iso(options.window.since);
  const until = iso(options.window.until);

  const log = await git(
    ['log', '--first-parent', '--diff-merges=first-parent', '--name-only', `--format=${RECORD}%H${FIELD}%P${FIELD}%an${FIELD}%cI${FIELD}%s`, `--since=${since}`, `--until=${until}`, `--max-count=${options.maxChanges + 1}`, options.ref, '--'],
    options,
    top,
  );
  let commits = parseCommits(log.text).filter((commit) => commit.at >= options.window.since && commit.at <= options.window.until);
  if (commits.length > options.maxChanges) {
    problems.push({ source, message: `more than ${options.maxChanges} commits in the window: the latest ${options.maxChanges} were kept` });
    commits = commits.slice(0, options.maxChanges);
  }

  const tagList = await git(['for-each-ref', 'refs/tags', '--sort=creatordate', `--format=%(refname:short)${FIELD}%(objectname)${FIELD}%(*objectname)${FIELD}%(creatordate:iso-strict)${FIELD}%(contents:subject)${FIELD}%(taggername)`], options, top);
  const tags = parseTags(tagList.text);

  const changes: ChangeEntry[] = [];
  const patches = new Map<string, string>();
  const patchOf = async (id: string, args: string[]): Promise<string | undefined> => {
    const path = `diffs/${id}.patch`;
    try {
      const shown = await git(args, options, top, options.patchBytes);
      let text = shown.text;
      if (shown.truncated) {
        // Whole lines only: a reader must not see half a hunk line as a complete one.
        text = text.slice(0, text.lastIndexOf('\n') + 1);
        problems.push({ source, path, message: `patch cut to ${Math.round(options.patchBytes / 1024)} KiB (raise the patch limit to keep it whole)` });
      }
      if (text.trim() === '') return undefined;
      patches.set(path, text);
      return path;
    } catch (error) {
      problems.push({ source, path, message: `no patch: ${error instanceof Error ? error.message : String(error)}` });
      return undefined;
    }
  };

  const inWindow = new Map(commits.map((commit) => [commit.sha, commit]));
  const versions = new Map<string, string>();
  for (const tag of tags) {
    if (tag.at >= options.window.since && tag.at <= options.window.until && inWindow.has(tag.commit)) versions.set(tag.commit, tag.name);
  }

  for (const commit of [...commits].reverse()) {
    const id = `${repoId}-${commit.sha.slice(0, 7)}`;
    const diff = await patchOf(id, ['show', '--no-color', '--no-ext-diff', '--diff-merges=first-parent', '--format=medium', commit.sha, '--']);
    const version = versions.get(commit.sha);
    changes.push({
      id,
      service: changeService(commit.files, rules),
      type: changeType(commit.files),
      at: iso(commit.at),
      author: commit.author,
      commit: commit.sha,
      summary: commit.subject,
      ...(diff ? { diff } : {}),
      ...(version ? { version } : {}),
      repo: repoName,
      ...(commit.parents.length > 1 ? { merge: true } : {}),
    });
  }

  // A tag made in the window on an older commit is a release of it: one change, with the diff since the tag before.
  for (const [index, tag] of tags.entries()) {
    if (tag.at < options.window.since || tag.at > options.window.until || inWindow.has(tag.commit)) continue;
    const id = `${repoId}-${idPart(tag.name)}`;
    const previous = tags.slice(0, index).reverse().find((other) => other.commit !== tag.commit);
    const files = await git(previous ? ['diff', '--name-only', `${previous.commit}..${tag.commit}`] : ['show', '--format=', '--name-only', tag.commit], options, top).catch(() => ({ text: '', truncated: false }));
    const touched = files.text.split('\n').filter((line) => line.trim() !== '');
    const diff = await patchOf(id, previous ? ['diff', '--no-color', '--no-ext-diff', `${previous.commit}..${tag.commit}`] : ['show', '--no-color', '--no-ext-diff', '--format=medium', tag.commit, '--']);
    changes.push({
      id,
      service: changeService(touched, rules),
      type: changeType(touched),
      at: iso(tag.at),
      ...(tag.tagger ? { author: tag.tagger } : {}),
      commit: tag.commit,
      summary: `release ${tag.name}${tag.subject ? `: ${tag.subject}` : ''}`,
      ...(diff ? { diff } : {}),
      version: tag.name,
      repo: repoName,
    });
  }
  return { changes, patches, problems };
}
