// Why a turn stopped, in words, when it was not simply done or waiting for a person.
import type { NoticeLevel } from './view.js';

export function stopReasonText(reason: string, explanation?: string | null): { level: NoticeLevel; text: string } | null {
  if (reason === 'retries_exhausted') return { level: 'error', text: 'stopped: errors continued after every retry' };
  if (reason === 'budget_reached') return { level: 'warn', text: "stopped: the session's budget is spent" };
  if (reason === 'refusal') return { level: 'warn', text: `stopped: the model declined to go on${explanation ? ` (${explanation})` : ''}` };
  return null;
}
