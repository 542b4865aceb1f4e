import { useStdin, useStdout } from 'ink';
import { useEffect, useRef } from 'react';
import type { KeyPress } from './key-press.js';
import { BRACKETED_PASTE_OFF, BRACKETED_PASTE_ON, createKeyReader } from './key-reader.js';

/**
 * Calls `onKeys` with every key of each piece of input, in order.
 *
 * Why not `useInput`: Ink hands it a whole run of text as one `input` with one set of key flags
 * (`jj`, two Backspaces, `p` and Tab, a pasted line), so all but single keys were lost. Ink's
 * own input parser still does the part it does well, before this: it cuts each read at escape
 * sequences and holds a sequence split across reads until it is whole. This hook listens to
 * those raw pieces (Ink's `input` events) and reads every key from them (key-reader.ts).
 *
 * `onKeys` gets the keys of one piece together, so it can apply them one after the other and
 * draw once. While it listens, the terminal is in raw mode and sends pastes bracketed.
 */
export function useKeyPresses(onKeys: (presses: KeyPress[]) => void): void {
  const { setRawMode, internal_eventEmitter: events, internal_exitOnCtrlC: inkQuits } = useStdin();
  const { stdout } = useStdout();
  const handler = useRef(onKeys);
  handler.current = onKeys;

  useEffect(() => {
    setRawMode(true);
    // A real terminal only: a test's fake stdout would show the sequence as a frame.
    const tty = stdout.isTTY === true;
    if (tty) stdout.write(BRACKETED_PASTE_ON);
    return () => {
      if (tty) stdout.write(BRACKETED_PASTE_OFF);
      setRawMode(false);
    };
  }, [setRawMode, stdout]);

  useEffect(() => {
    const reader = createKeyReader();
    const onInput = (raw: string) => {
      // When Ink itself exits on Ctrl-C (not the control room's way), it has that key already.
      const presses = reader.push(raw).filter((p) => !(inkQuits && p.key.ctrl && p.input === 'c'));
      if (presses.length > 0) handler.current(presses);
    };
    events.on('input', onInput);
    return () => {
      events.removeListener('input', onInput);
    };
  }, [events, inkQuits]);
}
