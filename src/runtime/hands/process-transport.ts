// An MCP client transport over a child process's stdio, like the SDK's stdio transport
// but with what the host needs from the hands: the exact environment it is given (the
// SDK's adds variables of its own), its own process group (so a hung worker is stopped
// together with everything it started), the tail of its stderr (to say why it died) and
// how it exited.
import { spawn, type ChildProcess } from 'node:child_process';
import { ReadBuffer, serializeMessage } from '@modelcontextprotocol/sdk/shared/stdio.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';

const STDERR_TAIL = 2_000;

export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Set when the process could not be started at all. */
  error?: string;
}

export interface ProcessTransportOptions {
  command: string;
  args: readonly string[];
  env: Readonly<Record<string, string>>;
  cwd?: string;
}

export class ProcessTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;

  private child: ChildProcess | null = null;
  private readonly buffer = new ReadBuffer();
  /** Messages read but not yet handed over, and whether their delivery waits for the next turn. */
  private readonly inbox: JSONRPCMessage[] = [];
  private deferred = false;
  private stderrTail = '';
  private exitInfo: ProcessExit | null = null;
  private readonly exitListeners = new Set<(exit: ProcessExit) => void>();

  constructor(private readonly options: ProcessTransportOptions) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** The last lines the process wrote to stderr. */
  stderr(): string {
    return this.stderrTail.trim();
  }

  /** How the process exited, or null while it runs. */
  get exit(): ProcessExit | null {
    return this.exitInfo;
  }

  /**
   * Calls `listener` once the process has exited (soon, if it already has). Returns the
   * unsubscribe function: a caller that stops waiting must call it, so that many calls on
   * one long-lived worker do not pile up listeners.
   */
  onExit(listener: (exit: ProcessExit) => void): () => void {
    const exit = this.exitInfo;
    if (exit !== null) {
      queueMicrotask(() => listener(exit));
      return () => undefined;
    }
    this.exitListeners.add(listener);
    return () => this.exitListeners.delete(listener);
  }

  /** Resolves once the process has exited (at once if it already has). */
  exited(): Promise<ProcessExit> {
    return new Promise((resolve) => this.onExit(resolve));
  }

  start(): Promise<void> {
    if (this.child !== null) throw new Error('ProcessTransport already started');
    return new Promise((resolve, reject) => {
      const child = spawn(this.options.command, [...this.options.args], {
        env: { ...this.options.env },
        cwd: this.options.cwd,
        stdio: ['pipe', 'pipe', 'pipe'],
        detached: true,
        shell: false,
        windowsHide: true,
      });
      this.child = child;
      child.on('error', (error) => {
        if (child.pid === undefined) {
          this.finish({ code: null, signal: null, error: error.message });
          reject(error);
        } else {
          this.onerror?.(error);
        }
      });
      child.on('spawn', () => resolve());
      child.on('close', (code, signal) => this.finish({ code, signal }));
      child.stdin?.on('error', (error) => this.onerror?.(error));
      child.stdout?.on('data', (chunk: Buffer) => {
        this.buffer.append(chunk);
        for (;;) {
          let message: JSONRPCMessage | null;
          try {
            message = this.buffer.readMessage();
          } catch (error) {
            this.onerror?.(error as Error);
            continue;
          }
          if (message === null) break;
          this.inbox.push(message);
        }
        if (!this.deferred) this.deliver();
      });
      child.stderr?.on('data', (chunk: Buffer) => {
        this.stderrTail = (this.stderrTail + chunk.toString('utf8')).slice(-STDERR_TAIL);
      });
    });
  }

  /**
   * Hands over what arrived, in order. The SDK runs a notification's handler a microtask
   * later but settles a response at once, dropping its progress handler: a call's last
   * progress notification read in the same chunk as its response would be lost (the last
   * lines of an action's live output, under load). So after a notification the rest waits
   * for the next turn of the event loop, by when the notification has been handled.
   */
  private deliver(): void {
    while (this.inbox.length > 0) {
      const message = this.inbox.shift() as JSONRPCMessage;
      this.onmessage?.(message);
      if ('method' in message && !('id' in message) && this.inbox.length > 0) {
        this.deferred = true;
        setImmediate(() => {
          this.deferred = false;
          this.deliver();
        });
        return;
      }
    }
  }

  private finish(exit: ProcessExit): void {
    if (this.exitInfo !== null) return;
    // Messages read before the exit are delivered before it is told.
    if (this.deferred) {
      setImmediate(() => this.finish(exit));
      return;
    }
    this.exitInfo = exit;
    this.buffer.clear();
    for (const listener of this.exitListeners) listener(exit);
    this.exitListeners.clear();
    this.onclose?.();
  }

  send(message: JSONRPCMessage): Promise<void> {
    const stdin = this.child?.stdin;
    if (!stdin || this.exitInfo !== null || stdin.destroyed) return Promise.reject(new Error('the worker process is not running'));
    return new Promise((resolve) => {
      if (stdin.write(serializeMessage(message))) resolve();
      else stdin.once('drain', resolve);
    });
  }

  /** Signals the whole process group; true when there was a group to signal. */
  signalGroup(signal: NodeJS.Signals): boolean {
    const pid = this.child?.pid;
    if (pid === undefined || this.exitInfo !== null) return false;
    try {
      process.kill(-pid, signal);
      return true;
    } catch {
      // No process groups here (Windows): the worker itself, then.
      return this.child?.kill(signal) ?? false;
    }
  }

  /**
   * Stops the process group: SIGTERM first (the worker then stops its own actions), SIGKILL
   * after `graceMs` for a process too busy to hear it. Resolves when the process is gone.
   */
  async kill(graceMs: number): Promise<ProcessExit | null> {
    if (this.child === null) return null;
    if (!this.signalGroup('SIGTERM')) return this.exitInfo;
    const timer = setTimeout(() => this.signalGroup('SIGKILL'), graceMs);
    const exit = await this.exited();
    clearTimeout(timer);
    // Anything of the group that outlived the worker goes too.
    const pid = this.child.pid;
    if (pid !== undefined) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // The group is already empty.
      }
    }
    return exit;
  }

  /** Closes stdin (the worker exits on its own), then stops the group if it lingers. */
  async close(): Promise<void> {
    if (this.child === null || this.exitInfo !== null) return;
    this.child.stdin?.end();
    const timer = setTimeout(() => void this.kill(1_000), 1_000);
    await this.exited();
    clearTimeout(timer);
  }
}
