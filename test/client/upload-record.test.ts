// The record of uploads to the cloud: two commands that upload at once both keep what they
// sent (each save merges into the record as it is on disk), and the record is the user's alone.
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UploadRecord } from '../../src/client/upload-record.js';

function entries(path: string, runtime: string): Record<string, { file_id: string }> {
  return (JSON.parse(readFileSync(path, 'utf8')) as { runtimes: Record<string, Record<string, { file_id: string }>> }).runtimes[runtime] ?? {};
}

describe('upload record', () => {
  it('keeps what two commands recorded at once, per runtime, owner-only', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'incident-record-')), 'state', 'cloud-uploads.json');
    const first = new UploadRecord(path, 'https://api.anthropic.com');
    const second = new UploadRecord(path, 'https://api.anthropic.com');
    const other = new UploadRecord(path, 'http://127.0.0.1:4646');
    await first.remember('a'.repeat(64), 'file_a', 10);
    await second.remember('b'.repeat(64), 'file_b', 20);
    await other.remember('a'.repeat(64), 'file_elsewhere', 10);
    await first.save();
    await second.save();
    await other.save();
    expect(Object.fromEntries(Object.entries(entries(path, 'https://api.anthropic.com')).map(([hash, upload]) => [hash[0], upload.file_id]))).toEqual({ a: 'file_a', b: 'file_b' });
    expect(entries(path, 'http://127.0.0.1:4646')['a'.repeat(64)]?.file_id).toBe('file_elsewhere');
    expect(statSync(path).mode & 0o077).toBe(0);

    await second.forget(['file_b']);
    await second.save();
    expect(Object.values(entries(path, 'https://api.anthropic.com')).map((upload) => upload.file_id)).toEqual(['file_a']);
  });
});
