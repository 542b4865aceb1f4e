import type { Key } from 'ink';

/**
 * One key as the router sees it: what it types (`input`) and Ink's key flags. A bracketed paste
 * is one press whose `input` is the whole pasted text, already made safe for a one-line field;
 * only the typing commands take it (a pasted `q` never quits).
 */
export interface KeyPress {
  input: string;
  key: Key;
  paste?: true;
}

const NO_KEY: Key = {
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
};

/** Which Ink flag a named key sets. */
export type NamedKey =
  | 'upArrow'
  | 'downArrow'
  | 'leftArrow'
  | 'rightArrow'
  | 'pageUp'
  | 'pageDown'
  | 'home'
  | 'end'
  | 'return'
  | 'escape'
  | 'tab'
  | 'backspace'
  | 'delete';

export interface Modifiers {
  ctrl?: boolean;
  shift?: boolean;
  meta?: boolean;
}

/** A key that types nothing (an arrow, Enter, Esc, ...), with its modifiers. */
export function namedPress(name: NamedKey, mods: Modifiers = {}): KeyPress {
  return {
    input: '',
    key: {
      ...NO_KEY,
      [name]: true,
      ctrl: mods.ctrl ?? false,
      shift: mods.shift ?? false,
      meta: mods.meta ?? false,
    },
  };
}

/** A key that types `input` (one grapheme), or Ctrl/Alt with it. Ink marks capitals shifted. */
export function charPress(input: string, mods: Modifiers = {}): KeyPress {
  return {
    input,
    key: {
      ...NO_KEY,
      ctrl: mods.ctrl ?? false,
      meta: mods.meta ?? false,
      shift: (mods.shift ?? false) || /^[A-Z]$/.test(input),
    },
  };
}

export function pastePress(text: string): KeyPress {
  return { input: text, key: { ...NO_KEY }, paste: true };
}
