import { describe, expect, it } from 'vitest';
import { parseDiff, unquoteGitPath } from '../../src/bundle/diff.js';
import { problemLog } from './helpers.js';

const FORMAT_PATCH = `From 3f2a9c1d0e4b5a6978c1d2e3f4a5b6c7d8e9f001 Mon Sep 17 00:00:00 2001
From: Dana Ops <dana@example.com>
Date: Fri, 20 Nov 2026 13:55:02 +0000
Subject: [PATCH] checkout: lower payment client pool size and
 shorten timeout

The pool was oversized for the new payment gateway.

Refs: OPS-4711
---
 src/payment/client.ts | 4 ++--
 config/checkout.yaml  | 3 ++-
 2 files changed, 4 insertions(+), 3 deletions(-)

diff --git a/src/payment/client.ts b/src/payment/client.ts
index 1111111..2222222 100644
--- a/src/payment/client.ts
+++ b/src/payment/client.ts
@@ -10,7 +10,7 @@ export class PaymentClient {
   constructor(private readonly http: Http) {}
 
   async charge(order: Order): Promise<Receipt> {
-    const pool = new Pool({ size: 50 });
+    const pool = new Pool({ size: 5 });
     return pool.run(() => this.http.post('/charge', order));
   }
 
@@ -40,3 +40,3 @@ export class PaymentClient {
-  timeoutMs = 2000;
+  timeoutMs = 200;
   retries = 2;
 }
diff --git a/config/checkout.yaml b/config/checkout.yaml
index 3333333..4444444 100644
--- a/config/checkout.yaml
+++ b/config/checkout.yaml
@@ -1,3 +1,4 @@
 payment:
-  pool: 50
+  pool: 5
+  breaker: on
 cart: {}
\\ No newline at end of file
-- 
2.43.0
`;

describe('parseDiff', () => {
  it('reads a format-patch with headers, message and two files, numbering old and new lines', () => {
    const problems = problemLog();
    const diff = parseDiff(FORMAT_PATCH, 'diffs/deploy-4821.patch', problems);
    expect(diff.header).toMatchObject({
      commit: '3f2a9c1d0e4b5a6978c1d2e3f4a5b6c7d8e9f001',
      From: 'Dana Ops <dana@example.com>',
      Date: 'Fri, 20 Nov 2026 13:55:02 +0000',
      Subject: '[PATCH] checkout: lower payment client pool size and shorten timeout',
    });
    expect(diff.message).toBe('checkout: lower payment client pool size and shorten timeout\n\nThe pool was oversized for the new payment gateway.\n\nRefs: OPS-4711');
    expect(diff.files.map((f) => [f.oldPath, f.newPath, f.hunks.length, f.binary])).toEqual([
      ['src/payment/client.ts', 'src/payment/client.ts', 2, false],
      ['config/checkout.yaml', 'config/checkout.yaml', 1, false],
    ]);
    const first = diff.files[0]?.hunks[0];
    expect(first).toMatchObject({ oldStart: 10, oldLines: 7, newStart: 10, newLines: 7 });
    expect(first?.lines.filter((l) => l.kind !== 'ctx')).toEqual([
      { kind: 'del', text: '    const pool = new Pool({ size: 50 });', oldLine: 13, newLine: null, patchLine: 23 },
      { kind: 'add', text: '    const pool = new Pool({ size: 5 });', oldLine: null, newLine: 13, patchLine: 24 },
    ]);
    expect(first?.lines[1]).toMatchObject({ kind: 'ctx', text: '', oldLine: 11, newLine: 11 });
    const config = diff.files[1]?.hunks[0];
    expect(config?.lines.map((l) => `${l.kind}:${l.oldLine ?? '-'}:${l.newLine ?? '-'}:${l.text}`)).toEqual([
      'ctx:1:1:payment:',
      'del:2:-:  pool: 50',
      'add:-:2:  pool: 5',
      'add:-:3:  breaker: on',
      'ctx:3:4:cart: {}',
    ]);
    expect(problems.list()).toEqual([]);
  });

  it('reads git show output: commit header and indented message', () => {
    const show = [
      'commit 9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d',
      'Author: Lee <lee@example.com>',
      'Date:   Fri Nov 20 13:50:00 2026 +0000',
      '',
      '    Raise cache TTL',
      '',
      '    Keeps hot keys longer.',
      '',
      'diff --git a/cache.go b/cache.go',
      'index 1..2 100644',
      '--- a/cache.go',
      '+++ b/cache.go',
      '@@ -5,2 +5,2 @@ func ttl() {',
      '-\treturn 30',
      '+\treturn 3000',
      ' }',
    ].join('\n');
    const diff = parseDiff(show, 'diffs/cfg.diff', problemLog());
    expect(diff.header).toEqual({ commit: '9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d', Author: 'Lee <lee@example.com>', Date: 'Fri Nov 20 13:50:00 2026 +0000' });
    expect(diff.message).toBe('Raise cache TTL\n\nKeeps hot keys longer.');
    expect(diff.files[0]?.hunks[0]?.lines.map((l) => [l.kind, l.oldLine, l.newLine])).toEqual([
      ['del', 5, null],
      ['add', null, 5],
      ['ctx', 6, 6],
    ]);
  });

  it('reads plain git diff with new, deleted, renamed and binary files', () => {
    const text = [
      'diff --git a/new.txt b/new.txt',
      'new file mode 100644',
      'index 0000000..1111111',
      '--- /dev/null',
      '+++ b/new.txt',
      '@@ -0,0 +1,2 @@',
      '+hello',
      '+world',
      'diff --git a/old.txt b/old.txt',
      'deleted file mode 100644',
      '--- a/old.txt',
      '+++ /dev/null',
      '@@ -1 +0,0 @@',
      '-bye',
      'diff --git a/a dir/x.md b/b dir/x.md',
      'similarity index 100%',
      'rename from a dir/x.md',
      'rename to b dir/x.md',
      'diff --git a/logo.png b/logo.png',
      'index 1..2 100644',
      'Binary files a/logo.png and b/logo.png differ',
      'diff --git a/font.woff b/font.woff',
      'GIT binary patch',
      'literal 10',
      'zcmV;',
      '',
      'literal 0',
      'HcmV?d00001',
    ].join('\n');
    const diff = parseDiff(text, 'diffs/x.diff', problemLog());
    expect(diff.files.map((f) => [f.oldPath, f.newPath, f.binary, f.hunks.flatMap((h) => h.lines.map((l) => l.text))])).toEqual([
      [null, 'new.txt', false, ['hello', 'world']],
      ['old.txt', null, false, ['bye']],
      ['a dir/x.md', 'b dir/x.md', false, []],
      ['logo.png', 'logo.png', true, []],
      ['font.woff', 'font.woff', true, []],
    ]);
    expect(diff.header).toEqual({});
    expect(diff.message).toBe('');
  });

  it('reads diff -u output (paths with dates) and reports a short hunk and an empty diff', () => {
    const problems = problemLog();
    const diff = parseDiff('--- conf.ini\t2026-11-20 10:00:00\n+++ conf.ini\t2026-11-20 11:00:00\n@@ -1,3 +1,3 @@\n a\n-b\n', 'diffs/u.diff', problems);
    expect(diff.files[0]).toMatchObject({ oldPath: 'conf.ini', newPath: 'conf.ini' });
    expect(problems.list()).toEqual([{ path: 'diffs/u.diff', line: 3, message: expect.stringMatching(/shorter/) }]);
    const empty = problemLog();
    expect(parseDiff('just words\n', 'diffs/e.diff', empty).files).toEqual([]);
    expect(empty.list()[0]?.message).toMatch(/no file changes/);
  });

  it('unquotes C-style git paths, octal UTF-8 bytes included', () => {
    expect(unquoteGitPath('"a/caf\\303\\251 \\"menu\\".txt"')).toBe('a/café "menu".txt');
    expect(unquoteGitPath('plain')).toBe('plain');
  });
});
