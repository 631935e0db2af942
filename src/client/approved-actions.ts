// The remediation actions this machine approved in a session whose log cannot say so:
// Claude Managed Agents logs no confirmation for a custom tool, so a process that dies
// between approving an action and reporting its result leaves a call that looks as if
// nobody had answered it. One small file per session in the state folder, readable by
// its owner only, gets a line per approved call, flushed to disk before the action
// starts; a later resume on this machine reads it and answers such a call "not run
// again" instead of asking (and perhaps running) it a second time.
import { appendFile, mkdir, open, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';

/** The folder of the records, in the state folder. */
export const APPROVED_ACTIONS_FOLDER = 'approved-actions';

export interface ApprovedAction {
  tool_use_id: string;
  name: string;
  /** Who or what approved it, as the result says ("by --approve rollback", "by the operator in the terminal"). */
  by: string;
  host: string;
  at: string;
}

/** Session ids are the runtime's; only their safe characters make a file name. */
function fileName(sessionId: string): string {
  if (!/^[A-Za-z0-9_-]{1,128}$/.test(sessionId)) throw new Error(`unexpected session id ${JSON.stringify(sessionId)}`);
  return `${sessionId}.jsonl`;
}

export class ApprovedActions {
  private readonly path: string;

  constructor(
    private readonly folder: string,
    sessionId: string,
  ) {
    this.path = join(folder, fileName(sessionId));
  }

  /** The approvals on record (a line torn by a crash while it was written is left out: that action had not started). */
  async list(): Promise<ApprovedAction[]> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    return text.split('\n').flatMap((line) => {
      try {
        const entry = JSON.parse(line) as Partial<ApprovedAction>;
        return typeof entry.tool_use_id === 'string' && typeof entry.name === 'string' ? [entry as ApprovedAction] : [];
      } catch {
        return [];
      }
    });
  }

  async has(toolUseId: string): Promise<boolean> {
    return (await this.list()).some((entry) => entry.tool_use_id === toolUseId);
  }

  /** Records an approval; resolves once it is on disk (the action may start then, not before). */
  async add(entry: ApprovedAction): Promise<void> {
    await mkdir(this.folder, { recursive: true, mode: 0o700 });
    await appendFile(this.path, `${JSON.stringify(entry)}\n`, { mode: 0o600 });
    const handle = await open(this.path, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  }

  /** Forgets the record once every call on it has its result in the session's log. */
  async clear(): Promise<void> {
    await rm(this.path, { force: true });
  }
}
