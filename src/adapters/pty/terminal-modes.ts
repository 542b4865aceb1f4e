/**
 * What an attached program may leave switched on in the operator's terminal, and the bytes that
 * switch it off again. A tmux client that detaches cleanly resets most of these itself; one that
 * is killed (the detach fallback, a lost SSH link) resets nothing, and the control room then
 * draws into a terminal that still reports mouse moves or sends keys as escape codes. So the
 * whole list is written after every attach: each reset is harmless when the mode was off.
 */

const ESC = '\x1b';
const CSI = `${ESC}[`;

/** Pops one entry of the kitty keyboard stack (`CSI < u`). */
const KITTY_POP = `${CSI}<u`;

/**
 * Kitty keyboard protocol pops for each screen. The main and alternate screens keep separate
 * stacks, and "a pop request that empties the stack resets all flags"
 * (https://sw.kovidgoyal.net/kitty/keyboard-protocol/#progressive-enhancement), so popping more
 * than was pushed is harmless. Four covers a program that pushed a few times; the plain
 * one-entry form is the one every implementation parses (Ink pops with it too). Ink's own entry
 * was popped when it unmounted, before the attach.
 */
const KITTY_POPS = KITTY_POP.repeat(4);

/** Each reset, in the order written, with why it is there. */
export const TERMINAL_RESETS: readonly { name: string; bytes: string }[] = [
  // Popped first while (possibly) still on the alternate screen: its stack is its own.
  { name: 'kitty keyboard (alternate screen)', bytes: KITTY_POPS },
  // DECSET 1049 off: back to the main screen (where the control room was) and its cursor.
  { name: 'alternate screen off', bytes: `${CSI}?1049l` },
  { name: 'kitty keyboard (main screen)', bytes: KITTY_POPS },
  // XTMODKEYS with no value resets modifyOtherKeys to the terminal's own default; it is what
  // tmux itself sends to turn extended keys off (its `Dseks` capability).
  { name: 'modifyOtherKeys default', bytes: `${CSI}>4m` },
  { name: 'bracketed paste off', bytes: `${CSI}?2004l` },
  { name: 'focus events off', bytes: `${CSI}?1004l` },
  // Mouse tracking (X10/normal, button-event, any-event) and its encodings (UTF-8, SGR, urxvt).
  {
    name: 'mouse off',
    bytes: ['1000', '1002', '1003', '1005', '1006', '1015'].map((m) => `${CSI}?${m}l`).join(''),
  },
  // Normal cursor keys (DECCKM) and numeric keypad (DECKPNM): tmux turns on application mode
  // (terminfo smkx), and arrow keys would otherwise arrive as `ESC O A`.
  { name: 'cursor keys normal', bytes: `${CSI}?1l${ESC}>` },
  // The scroll region is one for both screens; resetting it homes the cursor, so it is done
  // between a cursor save and restore (DECSC / DECRC).
  { name: 'scroll region reset', bytes: `${ESC}7${CSI}r${ESC}8` },
  { name: 'cursor shown', bytes: `${CSI}?25h` },
  // Autowrap back on (DECAWM), which full-screen programs turn off.
  { name: 'autowrap on', bytes: `${CSI}?7h` },
  { name: 'colours and attributes reset (SGR 0)', bytes: `${CSI}0m` },
];

/** Every reset in one string, written to the operator's terminal after an attach ends. */
export const RESTORE_TERMINAL: string = TERMINAL_RESETS.map((r) => r.bytes).join('');
