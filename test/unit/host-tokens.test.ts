import { describe, expect, it } from 'vitest';
import { AppFailure } from '../../src/domain/index.js';
import { TokenSet } from '../../src/host/tokens.js';

const TOKEN = 'tok-0123456789abcdef';
const bearer = `Bearer ${TOKEN}`;

function refusal(text: string): string {
  try {
    TokenSet.parse(text, 'tokens');
  } catch (error) {
    if (error instanceof AppFailure) return `${error.error.message} ${error.error.hint ?? ''}`;
    throw error;
  }
  throw new Error('accepted');
}

describe('the tokens file', () => {
  it('reads an expiry as a date (00:00 UTC that day) or a time with its zone, in either place after the token', () => {
    const at = (line: string, now: string) =>
      TokenSet.parse(line).authenticate(bearer, new Date(now));
    expect(at(`read ${TOKEN} bot expires=2027-01-01`, '2026-12-31T23:59:59Z')).toMatchObject({
      ok: true,
      caller: { name: 'bot' },
    });
    expect(at(`read ${TOKEN} bot expires=2027-01-01`, '2027-01-01T00:00:00Z')).toMatchObject({
      ok: false,
      reason: 'expired',
      name: 'bot',
    });
    expect(
      at(`read ${TOKEN} expires=2027-01-01T12:00:00+02:00 bot`, '2027-01-01T09:59:00Z'),
    ).toMatchObject({ ok: true, caller: { name: 'bot' } });
    expect(
      at(`read ${TOKEN} expires=2027-01-01T12:00+02:00`, '2027-01-01T10:00:00Z'),
    ).toMatchObject({ ok: false, reason: 'expired', name: 'line 1' });
  });

  it('refuses a bad expiry, a time without its zone, a date that does not exist, and a second expiry', () => {
    for (const when of ['tomorrow', '2027-01-01T12:00:00', '2027-02-30', '2027-13-01', '']) {
      expect(refusal(`read ${TOKEN} bot expires=${when}`)).toMatch(/^expires: expected/);
    }
    expect(refusal(`read ${TOKEN} expires=2027-01-01 expires=2028-01-01`)).toMatch(
      /expected `SCOPES/,
    );
  });

  it('never quotes a field of a malformed line', () => {
    const secret = 'QWERTYQWERTYQWERTYQWERTY';
    for (const line of [
      `${secret} read`,
      `read,sned ${secret}`,
      `read ${secret} a b`,
      `read ${secret} expires=${secret}`,
      `read ${secret.slice(0, 12)}`,
      `read ${secret}\nread ${secret}`,
    ]) {
      expect(refusal(line)).not.toMatch(/QWERTY|WERTYQ|ERTYQW|RTYQWE|TYQWER|YQWERT/);
    }
  });
});
