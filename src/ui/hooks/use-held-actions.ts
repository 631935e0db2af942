// The approval of an action held on this machine (Claude Managed Agents): the log has the
// call but not its dry run, so the prompt reads the check from the hands that hold it,
// and redraws when they report one.
import { useEffect, useState } from 'react';
import type { ToolCallView } from '../../render/view.js';
import type { HeldActionsView } from '../types.js';

/** A number that changes whenever the held calls do (a redraw is due). */
export function useHeldActionsVersion(held: HeldActionsView | undefined): number {
  const [version, setVersion] = useState(0);
  useEffect(() => held?.subscribe(() => setVersion((value) => value + 1)), [held]);
  return version;
}

/** The tool as the prompt shows it: with the held call's check when the log carries none. */
export function withHeldCheck(tool: ToolCallView | undefined, held: HeldActionsView | undefined): ToolCallView | undefined {
  if (tool === undefined || tool.check !== null || held === undefined) return tool;
  const check = held.check(tool.id);
  return check ? { ...tool, check } : tool;
}
