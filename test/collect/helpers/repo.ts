// A git repository built for a test: commits with the dates the test chooses (author and
// committer date alike), so its changes line up with what the test's exporter does.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export interface CommitSpec {
  at: number;
  message: string;
  files: Record<string, string>;
  author?: string;
  tag?: string;
}

export function gitRepo(name: string, commits: readonly CommitSpec[]): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'incident-repo-')), name);
  mkdirSync(dir);
  const run = (args: string[], env: NodeJS.ProcessEnv = {}): void => {
    execFileSync('git', args, { cwd: dir, stdio: 'ignore', env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', HOME: dir, ...env } });
  };
  run(['init', '-q', '-b', 'main']);
  for (const commit of commits) {
    for (const [path, content] of Object.entries(commit.files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), content);
    }
    run(['add', '-A']);
    const date = new Date(commit.at).toISOString();
    const who = commit.author ?? 'Dev One';
    run(['-c', `user.name=${who}`, '-c', 'user.email=dev@example.com', 'commit', '-q', '-m', commit.message], { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date });
    if (commit.tag) run(['-c', `user.name=${who}`, '-c', 'user.email=dev@example.com', 'tag', commit.tag], { GIT_COMMITTER_DATE: date });
  }
  return dir;
}

/** A Go file bounding a pool at 40 connections, and the commit that cuts it to 8 (the culprit of the live tests). */
export const POOL_40 = 'package db\n\n// MaxOpenConns bounds the connections each pod opens to the database.\nconst MaxOpenConns = 40\n\nconst AcquireTimeout = 2 * time.Second\n';
export const POOL_8 = POOL_40.replace('MaxOpenConns = 40', 'MaxOpenConns = 8');

/** The change id `incident collect` gives the commit of `repo` with this subject (`<repository>-<short sha>`). */
export function commitChangeId(repo: string, subject: string, prefix = 'checkout'): string {
  const log = execFileSync('git', ['log', '--format=%h%x09%s', '--abbrev=7'], { cwd: repo, encoding: 'utf8' });
  const line = log.split('\n').find((entry) => entry.endsWith(subject)) ?? '';
  return `${prefix}-${line.split('\t')[0] ?? ''}`;
}
