import type { Key } from 'ink';
import { describe, expect, it } from 'vitest';
import { KEY_BINDINGS, isTextInput, matches, type Scope } from '../../src/ui/keys.js';

function key(overrides: Partial<Key> = {}): Key {
  return {
    upArrow: false,
    downArrow: false,
    leftArrow: false,
    rightArrow: false,
    pageDown: false,
    pageUp: false,
    home: false,
    end: false,
    return: false,
    escape: false,
    ctrl: false,
    shift: false,
    tab: false,
    backspace: false,
    delete: false,
    meta: false,
    super: false,
    hyper: false,
    capsLock: false,
    numLock: false,
    ...overrides,
  };
}

describe('the keybinding table', () => {
  it('gives each key one command within the scopes active together', () => {
    const together: Scope[][] = [
      ['approval', 'session', 'everywhere'],
      ['input', 'session', 'everywhere'],
      ['start', 'input', 'everywhere'],
    ];
    for (const scopes of together) {
      const seen = new Map<string, string>();
      for (const binding of KEY_BINDINGS.filter((row) => scopes.includes(row.scope))) {
        for (const spec of binding.keys) {
          const id = JSON.stringify(spec);
          expect(seen.get(id), `${id} bound twice`).toBeUndefined();
          seen.set(id, binding.command);
        }
      }
    }
  });

  it('matches keys by character, name and modifier', () => {
    expect(matches('approve', 'y', key())).toBe(true);
    expect(matches('approve', 'y', key({ ctrl: true }))).toBe(false);
    expect(matches('interrupt', '', key({ escape: true, meta: true }))).toBe(true);
    expect(matches('quit', 'c', key({ ctrl: true }))).toBe(true);
    expect(matches('quit', 'c', key())).toBe(false);
    expect(matches('deleteBackward', '', key({ delete: true }))).toBe(true);
  });

  it('tells typed text from command keys', () => {
    expect(isTextInput('a', key())).toBe(true);
    expect(isTextInput('pasted\nlines', key())).toBe(true);
    expect(isTextInput('', key({ return: true }))).toBe(false);
    expect(isTextInput('u', key({ ctrl: true }))).toBe(false);
    expect(isTextInput('\u0007', key())).toBe(false);
  });
});
