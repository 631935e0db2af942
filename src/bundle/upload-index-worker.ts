// The thread that indexes logs while they upload (built as dist/upload-indexer.js). The
// upload's own thread hashes and stores the bytes; this one walks the same bytes at the same
// time, so a gigabyte costs the longer of the two passes, not their sum. Several uploads may
// be indexed at once, each a job of its own; every chunk is acknowledged once the walk has
// taken it, which is how the sender keeps the bytes in flight bounded.

import { writeFile } from 'node:fs/promises';
import { parentPort } from 'node:worker_threads';
import { indexUploadedLog, isLogUploadName } from './upload-index.js';

/** Sent by the upload's thread. */
export type IndexerRequest =
  | { type: 'start'; id: number; name: string }
  | { type: 'chunk'; id: number; bytes: Uint8Array }
  | { type: 'end'; id: number; out: string }
  | { type: 'cancel'; id: number };

/** Sent back: a chunk taken by the walk, or how the job ended (`ok`: the index is written to `out`). */
export type IndexerReply = { type: 'ack'; id: number; bytes: number } | { type: 'done'; id: number; ok: boolean };

/** One upload's bytes as the walk pulls them; the file to write is named when the bytes end. */
class Job {
  readonly #queue: Uint8Array[] = [];
  #wake: (() => void) | null = null;
  #ended = false;
  #cancelled = false;
  readonly out: Promise<string | null>;
  #settleOut: (out: string | null) => void = () => undefined;

  constructor(
    readonly id: number,
    private readonly reply: (message: IndexerReply) => void,
  ) {
    this.out = new Promise((resolve) => (this.#settleOut = resolve));
  }

  push(bytes: Uint8Array): void {
    this.#queue.push(bytes);
    this.#poke();
  }

  end(out: string): void {
    this.#ended = true;
    this.#settleOut(out);
    this.#poke();
  }

  cancel(): void {
    this.#cancelled = true;
    this.#ended = true;
    this.#settleOut(null);
    this.#poke();
  }

  get cancelled(): boolean {
    return this.#cancelled;
  }

  #poke(): void {
    const wake = this.#wake;
    this.#wake = null;
    wake?.();
  }

  async *bytes(): AsyncGenerator<Uint8Array> {
    for (;;) {
      if (this.#cancelled) return;
      const next = this.#queue.shift();
      if (next !== undefined) {
        yield next;
        this.reply({ type: 'ack', id: this.id, bytes: next.length });
        continue;
      }
      if (this.#ended) return;
      await new Promise<void>((resolve) => (this.#wake = resolve));
    }
  }
}

async function run(job: Job, name: string): Promise<boolean> {
  const text = await indexUploadedLog(name, job.bytes());
  const out = await job.out;
  if (job.cancelled || out === null) return false;
  await writeFile(out, text, { mode: 0o600 });
  return true;
}

const port = parentPort;
if (port !== null) {
  const jobs = new Map<number, Job>();
  const reply = (message: IndexerReply): void => port.postMessage(message);
  port.on('message', (message: IndexerRequest) => {
    switch (message.type) {
      case 'start': {
        if (!isLogUploadName(message.name)) {
          reply({ type: 'done', id: message.id, ok: false });
          return;
        }
        const job = new Job(message.id, reply);
        jobs.set(message.id, job);
        run(job, message.name)
          .catch(() => false)
          .then((ok) => {
            jobs.delete(message.id);
            reply({ type: 'done', id: message.id, ok });
          });
        return;
      }
      case 'chunk':
        jobs.get(message.id)?.push(message.bytes);
        return;
      case 'end':
        jobs.get(message.id)?.end(message.out);
        return;
      case 'cancel':
        jobs.get(message.id)?.cancel();
        return;
    }
  });
}
