import { describe, expect, it } from 'vitest';
import {
  appendSent,
  PANE_SENT_LIMIT,
  parseSent,
  textDigest,
} from '../../src/adapters/tmux/pane-sent.js';
import { keyDigest } from '../../src/adapters/tmux/paste.js';

describe("the pane's memory of what it was sent", () => {
  it('keeps the last 64 pastes, oldest dropped first', () => {
    let value = '';
    for (let i = 0; i < PANE_SENT_LIMIT + 6; i++) {
      value = appendSent(value, { key: keyDigest(`k${i}`), text: textDigest(`t${i}`) });
    }
    const entries = parseSent(value);
    expect(entries).toHaveLength(PANE_SENT_LIMIT);
    expect(entries[0]).toEqual({ key: keyDigest('k6'), text: textDigest('t6') });
    expect(entries.at(-1)).toEqual({
      key: keyDigest(`k${PANE_SENT_LIMIT + 5}`),
      text: textDigest(`t${PANE_SENT_LIMIT + 5}`),
    });
  });

  it('ignores anything in the option that is not an entry (set by hand or by an agent)', () => {
    const good = `${keyDigest('a')}:${textDigest('b')}`;
    expect(parseSent(`junk ${good} $(rm -rf ~) ${keyDigest('c')}`)).toEqual([
      { key: keyDigest('a'), text: textDigest('b') },
    ]);
    expect(parseSent('')).toEqual([]);
  });
});
