// Unified diffs as git writes them: `git format-patch` (mail headers, message, diffstat, one or
// more patches), `git show` (commit header, indented message), plain `git diff`, and `diff -u`.
// Hunks are read by their line counts, so a format-patch signature (`-- `) is never a deletion.

import type { ProblemSink } from './problems.js';
import type { Diff, DiffFile, DiffHunk } from './types.js';

const HUNK = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;
const MAIL_FROM = /^From ([0-9a-f]{7,64}) /;
const COMMIT = /^commit ([0-9a-f]{7,64})\b/;
const HEADER_FIELD = /^([A-Za-z][\w-]*):\s*(.*)$/;

/** git's C-style quoting of unusual paths: `"a/caf\303\251 menu.txt"`. */
export function unquoteGitPath(raw: string): string {
  if (!raw.startsWith('"') || !raw.endsWith('"') || raw.length < 2) return raw;
  const bytes: number[] = [];
  const body = raw.slice(1, -1);
  const simple: Record<string, number> = { n: 10, t: 9, r: 13, '"': 34, '\\': 92, a: 7, b: 8, f: 12, v: 11 };
  for (let i = 0; i < body.length; i++) {
    const c = body[i] ?? '';
    if (c !== '\\') {
      bytes.push(...Buffer.from(c, 'utf8'));
      continue;
    }
    const octal = /^[0-7]{3}/.exec(body.slice(i + 1, i + 4));
    if (octal) {
      bytes.push(parseInt(octal[0], 8));
      i += 3;
    } else {
      const next = body[i + 1] ?? '';
      bytes.push(simple[next] ?? next.charCodeAt(0));
      i += 1;
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** A `---`/`+++` path: quotes removed, `diff -u`'s tab and date dropped, `a/`/`b/` prefix dropped. */
function filePath(raw: string, prefix: 'a/' | 'b/'): string | null {
  let path = raw.startsWith('"') ? unquoteGitPath(raw.slice(0, raw.lastIndexOf('"') + 1)) : raw.split('\t')[0] ?? '';
  path = path.trimEnd();
  if (path === '/dev/null') return null;
  return path.startsWith(prefix) ? path.slice(2) : path;
}

/** The two paths of `diff --git a/x b/y`, including paths with spaces when both sides agree. */
function gitHeaderPaths(rest: string): { oldPath: string | null; newPath: string | null } {
  if (rest.startsWith('"')) {
    const close = rest.indexOf('" ', 1);
    if (close > 0) return { oldPath: filePath(rest.slice(0, close + 1), 'a/'), newPath: filePath(rest.slice(close + 2), 'b/') };
  }
  if ((rest.length - 1) % 2 === 0) {
    const half = (rest.length - 1) / 2;
    const left = rest.slice(0, half);
    const right = rest.slice(half + 1);
    if (left.slice(2) === right.slice(2)) return { oldPath: filePath(left, 'a/'), newPath: filePath(right, 'b/') };
  }
  const split = rest.lastIndexOf(' b/');
  if (split > 0) return { oldPath: filePath(rest.slice(0, split), 'a/'), newPath: filePath(rest.slice(split + 1), 'b/') };
  return { oldPath: null, newPath: null };
}

function stripPatchPrefix(subject: string): string {
  return subject.replace(/^\[[^\]]*PATCH[^\]]*\]\s*/i, '');
}

export function parseDiff(source: string, path: string, problems: ProblemSink): Diff {
  const lines = source.split('\n').map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  const header: Record<string, string> = {};
  const messages: string[] = [];
  const files: DiffFile[] = [];
  let file: DiffFile | null = null;
  let i = 0;

  const setHeader = (key: string, value: string): void => {
    if (header[key] === undefined) header[key] = value;
  };

  /** Mail headers from `From <sha>`; then the message up to `---` or the first diff. */
  const readMail = (): void => {
    const fields: Record<string, string> = {};
    let last: string | null = null;
    for (; i < lines.length; i++) {
      const line = lines[i] ?? '';
      if (line === '') break;
      if (/^[ \t]/.test(line) && last !== null) {
        fields[last] = `${fields[last] ?? ''} ${line.trim()}`; // a folded header line
        continue;
      }
      const field = HEADER_FIELD.exec(line);
      if (!field) break;
      last = field[1] ?? '';
      fields[last] ??= (field[2] ?? '').trim();
    }
    for (const [key, value] of Object.entries(fields)) setHeader(key, value);
    const subject = fields.Subject ?? '';
    const body: string[] = [];
    for (; i < lines.length; i++) {
      const line = lines[i] ?? '';
      if (line === '---' || line.startsWith('diff --git ') || line.startsWith('Index: ')) break;
      body.push(line);
    }
    const text = [stripPatchPrefix(subject), body.join('\n').trim()].filter(Boolean).join('\n\n');
    if (text) messages.push(text);
  };

  /** `git show`: Author/Date lines, then the message indented by four spaces. */
  const readCommit = (): void => {
    for (; i < lines.length; i++) {
      const field = HEADER_FIELD.exec(lines[i] ?? '');
      if (!field) break;
      setHeader(field[1] ?? '', (field[2] ?? '').trim());
    }
    const body: string[] = [];
    for (; i < lines.length; i++) {
      const line = lines[i] ?? '';
      if (line.startsWith('diff ') || line.startsWith('--- ')) break;
      if (line === '' || line.startsWith('    ')) body.push(line.slice(4));
    }
    const text = body.join('\n').trim();
    if (text) messages.push(text);
  };

  const readHunk = (match: RegExpExecArray, target: DiffFile): void => {
    const hunk: DiffHunk = {
      header: lines[i] ?? '',
      oldStart: Number(match[1]),
      oldLines: match[2] === undefined ? 1 : Number(match[2]),
      newStart: Number(match[3]),
      newLines: match[4] === undefined ? 1 : Number(match[4]),
      lines: [],
    };
    const start = i + 1; // 1-based line of the hunk header
    let oldLeft = hunk.oldLines;
    let newLeft = hunk.newLines;
    let oldLine = hunk.oldStart;
    let newLine = hunk.newStart;
    i += 1;
    while (i < lines.length && (oldLeft > 0 || newLeft > 0)) {
      const line = lines[i] ?? '';
      const mark = line.charAt(0);
      const patchLine = i + 1;
      if (mark === '+') {
        hunk.lines.push({ kind: 'add', text: line.slice(1), oldLine: null, newLine: newLine++, patchLine });
        newLeft -= 1;
      } else if (mark === '-') {
        hunk.lines.push({ kind: 'del', text: line.slice(1), oldLine: oldLine++, newLine: null, patchLine });
        oldLeft -= 1;
      } else if (mark === ' ' || line === '') {
        // An empty line is a context line whose leading space an editor trimmed.
        hunk.lines.push({ kind: 'ctx', text: line.slice(1), oldLine: oldLine++, newLine: newLine++, patchLine });
        oldLeft -= 1;
        newLeft -= 1;
      } else if (mark !== '\\') {
        break; // `\ No newline at end of file` is skipped; anything else ends a short hunk
      }
      i += 1;
    }
    while (lines[i]?.startsWith('\\')) i += 1;
    if (oldLeft > 0 || newLeft > 0) problems.add({ path, line: start, message: 'hunk is shorter than its header says' });
    target.hunks.push(hunk);
  };

  while (i < lines.length) {
    const line = lines[i] ?? '';
    if (MAIL_FROM.test(line)) {
      setHeader('commit', MAIL_FROM.exec(line)?.[1] ?? '');
      i += 1;
      readMail();
      continue;
    }
    if (COMMIT.test(line)) {
      setHeader('commit', COMMIT.exec(line)?.[1] ?? '');
      i += 1;
      readCommit();
      continue;
    }
    if (line.startsWith('diff --git ')) {
      file = { ...gitHeaderPaths(line.slice('diff --git '.length)), hunks: [], binary: false };
      files.push(file);
    } else if (line.startsWith('diff --cc ') || line.startsWith('diff --combined ')) {
      problems.add({ path, line: i + 1, message: 'combined (merge) diff is not read; skipped' });
      for (i += 1; i < lines.length && !(lines[i] ?? '').startsWith('diff '); i++);
      file = null;
      continue;
    } else if (line.startsWith('--- ') && (lines[i + 1] ?? '').startsWith('+++ ')) {
      const oldPath = filePath(line.slice(4), 'a/');
      const newPath = filePath((lines[i + 1] ?? '').slice(4), 'b/');
      if (file === null || file.hunks.length > 0) {
        file = { oldPath, newPath, hunks: [], binary: false };
        files.push(file);
      } else {
        file.oldPath = oldPath;
        file.newPath = newPath;
      }
      i += 2;
      continue;
    } else if (file !== null) {
      const hunk = HUNK.exec(line);
      if (hunk) {
        readHunk(hunk, file);
        continue;
      }
      if (line.startsWith('new file mode')) file.oldPath = null;
      else if (line.startsWith('deleted file mode')) file.newPath = null;
      else if (line.startsWith('rename from ') || line.startsWith('copy from ')) file.oldPath = unquoteGitPath(line.replace(/^(?:rename|copy) from /, ''));
      else if (line.startsWith('rename to ') || line.startsWith('copy to ')) file.newPath = unquoteGitPath(line.replace(/^(?:rename|copy) to /, ''));
      else if (line.startsWith('Binary files ') || line === 'GIT binary patch') {
        file.binary = true;
        if (line === 'GIT binary patch') for (i += 1; i < lines.length && !(lines[i] ?? '').startsWith('diff '); i++);
        else i += 1;
        continue;
      } else if (line.startsWith('@@')) {
        problems.add({ path, line: i + 1, message: 'unreadable hunk header' });
      }
    }
    i += 1;
  }
  if (files.length === 0) problems.add({ path, message: 'no file changes found in this diff' });
  return { path, changeId: null, header, message: messages.join('\n\n'), files };
}
