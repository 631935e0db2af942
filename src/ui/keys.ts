// The one keybinding table. Every input handler asks `matches(command, ...)`, and the
// help panel is generated from the same rows, so a key can never do something the help
// does not say.
import type { Key } from 'ink';

export type Command =
  | 'quit'
  | 'help'
  | 'interrupt'
  | 'approve'
  | 'deny'
  | 'details'
  | 'submit'
  | 'deleteBackward'
  | 'clearInput'
  | 'selectUp'
  | 'selectDown';

type NamedKey = 'escape' | 'return' | 'upArrow' | 'downArrow' | 'backspace' | 'delete';

export interface KeySpec {
  /** A printable character (exact). */
  input?: string;
  /** A named key from Ink's key object. */
  key?: NamedKey;
  ctrl?: boolean;
}

export type Scope = 'everywhere' | 'session' | 'approval' | 'input' | 'start';

export interface Binding {
  command: Command;
  keys: readonly KeySpec[];
  /** How the key is written in the help and in prompts. */
  label: string;
  description: string;
  scope: Scope;
}

export const KEY_BINDINGS: readonly Binding[] = [
  { command: 'approve', keys: [{ input: 'y' }, { input: 'Y' }], label: 'y', description: 'approve this exact action, once', scope: 'approval' },
  { command: 'deny', keys: [{ input: 'n' }, { input: 'N' }], label: 'n', description: 'deny the action', scope: 'approval' },
  { command: 'details', keys: [{ input: 'd' }, { input: 'D' }], label: 'd', description: 'show or hide the exact input', scope: 'approval' },
  { command: 'submit', keys: [{ key: 'return' }], label: 'Enter', description: 'send the question / open the selection', scope: 'input' },
  { command: 'deleteBackward', keys: [{ key: 'backspace' }, { key: 'delete' }], label: 'Backspace', description: 'delete a character', scope: 'input' },
  { command: 'clearInput', keys: [{ input: 'u', ctrl: true }], label: 'Ctrl+U', description: 'clear the line', scope: 'input' },
  { command: 'interrupt', keys: [{ key: 'escape' }], label: 'Esc', description: 'close a panel, else interrupt the turn (denying an approval that waits)', scope: 'session' },
  { command: 'help', keys: [{ input: '?' }], label: '?', description: 'show or hide these keys (on an empty line)', scope: 'session' },
  { command: 'selectUp', keys: [{ key: 'upArrow' }], label: '↑', description: 'previous session', scope: 'start' },
  { command: 'selectDown', keys: [{ key: 'downArrow' }], label: '↓', description: 'next session', scope: 'start' },
  { command: 'quit', keys: [{ input: 'c', ctrl: true }], label: 'Ctrl+C', description: 'quit (the session keeps its history)', scope: 'everywhere' },
];

const BY_COMMAND = new Map(KEY_BINDINGS.map((binding) => [binding.command, binding]));

function specMatches(spec: KeySpec, input: string, key: Key): boolean {
  if ((spec.ctrl ?? false) !== key.ctrl) return false;
  if (spec.key !== undefined && !key[spec.key]) return false;
  if (spec.input !== undefined && input !== spec.input) return false;
  return true;
}

export function matches(command: Command, input: string, key: Key): boolean {
  const binding = BY_COMMAND.get(command);
  return binding !== undefined && binding.keys.some((spec) => specMatches(spec, input, key));
}

export function labelOf(command: Command): string {
  return BY_COMMAND.get(command)?.label ?? command;
}

export function bindingsIn(scopes: readonly Scope[]): Binding[] {
  return KEY_BINDINGS.filter((binding) => scopes.includes(binding.scope));
}

/** Printable text typed (or pasted) into a line, as opposed to a command key. */
export function isTextInput(input: string, key: Key): boolean {
  if (key.ctrl || key.meta || key.return || key.escape || key.tab || key.backspace || key.delete) return false;
  if (key.upArrow || key.downArrow || key.leftArrow || key.rightArrow) return false;
  // Tabs and line breaks may come with pasted text; other control characters never do.
  return input.length > 0 && !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(input);
}
