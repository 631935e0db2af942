// Logs are indexed while they upload: a worker thread (dist/upload-indexer.js, from
// src/bundle/upload-index-worker.ts) walks the bytes as they stream in, beside the hash and
// the write on this thread, and the store keeps its index beside the blob. The hands read it
// instead of walking a gigabyte again (see bundle/log-index-file.ts); whatever goes wrong
// here only means there is no index, and the log is walked as before: an upload never fails
// for it.
//
// One thread serves every upload of the runtime, started on the first log large enough to be
// worth it and let go when idle; it is the bundle's code, reached across a thread boundary,
// as the hands are across a process boundary.
import { Worker } from 'node:worker_threads';
import type { BlobIndexer } from '../store/index.js';

/** The built entry of the indexing thread. */
export const UPLOAD_INDEXER_FILE = 'upload-indexer.js';
/** A smaller log is one block of its map, walked in milliseconds when first needed. */
export const MIN_INDEXED_BYTES = 1 << 20;
/** Bytes sent to the thread at a time: one message per megabyte, not per chunk. */
const BATCH_BYTES = 1 << 20;
/** Bytes sent and not yet walked, per upload, before the upload waits for the walk. */
const MAX_IN_FLIGHT_BYTES = 8 << 20;
/** An idle thread is stopped after this long, to give its memory back. */
const IDLE_MS = 30_000;

// The thread's messages (src/bundle/upload-index-worker.ts; the runtime may not import the bundle).
type Request =
  | { type: 'start'; id: number; name: string }
  | { type: 'chunk'; id: number; bytes: Uint8Array }
  | { type: 'end'; id: number; out: string }
  | { type: 'cancel'; id: number };
type Reply = { type: 'ack'; id: number; bytes: number } | { type: 'done'; id: number; ok: boolean };

interface Job {
  inFlight: number;
  /** The upload waiting for the walk to catch up. */
  resume: (() => void) | null;
  finish: (ok: boolean) => void;
  /** The thread said how it ended (or went away). */
  done: boolean;
}

export class UploadIndexer {
  readonly #script: string | undefined;
  #worker: Worker | null = null;
  readonly #jobs = new Map<number, Job>();
  #nextId = 1;
  #idle: NodeJS.Timeout | null = null;

  /** `script`: the built indexing thread; without one, nothing is indexed. */
  constructor(script: string | undefined) {
    this.#script = script;
  }

  /** An indexer for one upload, or undefined when there is no thread to run it. */
  forUpload(name: string): BlobIndexer | undefined {
    if (this.#script === undefined) return undefined;
    return new UploadJob(this, name);
  }

  /** Starts a job on the thread; its replies go to `job`. */
  start(name: string, job: Job): number | null {
    const worker = this.#thread();
    if (worker === null) return null;
    const id = this.#nextId++;
    this.#jobs.set(id, job);
    if (this.#idle !== null) clearTimeout(this.#idle);
    this.#idle = null;
    worker.ref();
    this.send({ type: 'start', id, name });
    return id;
  }

  send(message: Request, transfer?: ArrayBuffer[]): void {
    this.#worker?.postMessage(message, transfer);
  }

  /** The job is over for this side: forget it, and let the thread go once none is left. */
  release(id: number): void {
    this.#jobs.delete(id);
    if (this.#jobs.size > 0 || this.#worker === null) return;
    this.#worker.unref();
    const worker = this.#worker;
    this.#idle = setTimeout(() => {
      if (this.#worker === worker && this.#jobs.size === 0) void this.#stop();
    }, IDLE_MS);
    this.#idle.unref();
  }

  async close(): Promise<void> {
    if (this.#idle !== null) clearTimeout(this.#idle);
    await this.#stop();
  }

  #thread(): Worker | null {
    if (this.#worker !== null) return this.#worker;
    let worker: Worker;
    try {
      worker = new Worker(this.#script as string);
    } catch {
      return null;
    }
    worker.on('message', (reply: Reply) => this.#receive(reply));
    // A thread that fails ends every job it had without an index; the next upload starts another.
    const lost = (): void => {
      if (this.#worker === worker) this.#worker = null;
      for (const job of this.#jobs.values()) job.finish(false);
      this.#jobs.clear();
    };
    worker.on('error', lost);
    worker.on('exit', lost);
    this.#worker = worker;
    return worker;
  }

  #receive(reply: Reply): void {
    const job = this.#jobs.get(reply.id);
    if (job === undefined) return;
    if (reply.type === 'ack') {
      job.inFlight -= reply.bytes;
      if (job.inFlight <= MAX_IN_FLIGHT_BYTES / 2) {
        const resume = job.resume;
        job.resume = null;
        resume?.();
      }
      return;
    }
    job.finish(reply.ok);
  }

  async #stop(): Promise<void> {
    const worker = this.#worker;
    this.#worker = null;
    await worker?.terminate();
  }
}

/**
 * One upload seen by the indexing thread. The first megabyte is held here: a smaller file is
 * not worth a thread's attention, and its bytes never leave this one.
 */
class UploadJob implements BlobIndexer {
  readonly #indexer: UploadIndexer;
  readonly #name: string;
  #id: number | null = null;
  /** The upload is over for the index: nothing more is sent. */
  #stopped = false;
  #batch: Buffer = Buffer.allocUnsafeSlow(BATCH_BYTES);
  #filled = 0;
  #seen = 0;
  readonly #job: Job;
  readonly #ended: Promise<boolean>;

  constructor(indexer: UploadIndexer, name: string) {
    this.#indexer = indexer;
    this.#name = name;
    let finish: (ok: boolean) => void = () => undefined;
    this.#ended = new Promise((resolve) => (finish = resolve));
    this.#job = {
      inFlight: 0,
      resume: null,
      done: false,
      finish: (ok) => {
        this.#job.done = true;
        this.#stopped = true;
        const resume = this.#job.resume;
        this.#job.resume = null;
        resume?.();
        finish(ok);
      },
    };
  }

  write(chunk: Buffer): Promise<void> | undefined {
    if (this.#stopped) return undefined;
    this.#seen += chunk.length;
    for (let from = 0; from < chunk.length; ) {
      const taken = chunk.copy(this.#batch, this.#filled, from);
      this.#filled += taken;
      from += taken;
      if (this.#filled < this.#batch.length) break;
      // The first batch is the threshold: a file that reaches it is started on the thread.
      if (this.#id === null && !this.#begin()) return undefined;
      this.#flush();
    }
    if (this.#job.inFlight <= MAX_IN_FLIGHT_BYTES) return undefined;
    return new Promise((resolve) => (this.#job.resume = resolve));
  }

  end(file: string): Promise<boolean> {
    if (this.#stopped || (this.#id === null && this.#seen < MIN_INDEXED_BYTES)) return this.#settle(false);
    if (this.#id === null && !this.#begin()) return this.#settle(false);
    this.#flush();
    this.#indexer.send({ type: 'end', id: this.#id as number, out: file });
    return this.#ended.finally(() => this.#indexer.release(this.#id as number));
  }

  abort(): void {
    if (this.#id !== null && !this.#job.done) this.#indexer.send({ type: 'cancel', id: this.#id });
    // An upload held for the walk is let go: it is over.
    this.#job.finish(false);
    void this.#settle(false);
  }

  #settle(ok: boolean): Promise<boolean> {
    this.#stopped = true;
    if (this.#id !== null) this.#indexer.release(this.#id);
    return Promise.resolve(ok);
  }

  #begin(): boolean {
    this.#id = this.#indexer.start(this.#name, this.#job);
    if (this.#id === null) this.#stopped = true;
    return this.#id !== null;
  }

  /** Sends what the batch holds; its memory goes with it, a fresh batch takes its place. */
  #flush(): void {
    if (this.#filled === 0 || this.#id === null) return;
    const bytes = new Uint8Array(this.#batch.buffer, this.#batch.byteOffset, this.#filled);
    this.#job.inFlight += this.#filled;
    this.#indexer.send({ type: 'chunk', id: this.#id, bytes }, [this.#batch.buffer as ArrayBuffer]);
    this.#batch = Buffer.allocUnsafeSlow(BATCH_BYTES);
    this.#filled = 0;
  }
}
