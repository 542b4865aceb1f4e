import { randomBytes, randomInt } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { eventually } from '../integration/helpers/tmux-server.js';
import { get, startHostProcess } from './helpers/host-process.js';

/**
 * The tokens of a real `host serve` process: read again on SIGHUP (a removed token stops working
 * without a restart; a bad file keeps the tokens in use and names its line), tokens with an
 * expiry, and a malformed line whose token never shows in anything the host writes.
 */

const hex = () => randomBytes(16).toString('hex');
const SEND = `send-${hex()}`;
const READ = `read-${hex()}`;

/** A token-looking secret in letters that nothing the host writes is made of (no hex, no digits). */
function secret(): string {
  const letters = 'GHJKMNPQRSTVWXYZ';
  return Array.from({ length: 40 }, () => letters[randomInt(letters.length)]).join('');
}

/** Every stretch of 6 characters of `secret` that shows in `text`. */
function partsShown(text: string, secret: string): string[] {
  const shown: string[] = [];
  for (let i = 0; i + 6 <= secret.length; i++) {
    const part = secret.slice(i, i + 6);
    if (text.includes(part)) shown.push(part);
  }
  return shown;
}

/** Sends SIGHUP and waits until the host has said what came of it (the `nth` such line). */
async function hangUp(host: Awaited<ReturnType<typeof startHostProcess>>, nth: number) {
  host.child.kill('SIGHUP');
  const lines = await eventually(
    () => host.stderr().match(/^SIGHUP: .*$/gm) ?? [],
    (found) => found.length >= nth,
    `SIGHUP answered ${nth} time(s)`,
  );
  return lines[nth - 1] as string;
}

describe('host serve tokens', () => {
  it('on SIGHUP reads the tokens file again: a removed token is 401 at once, without a restart', async () => {
    const host = await startHostProcess({
      tokens: `read,send ${SEND} ci-bot\nread ${READ} viewer\n`,
    });
    expect((await get(`${host.url}/v1/runtimes`, READ)).status).toBe(200);

    host.writeTokens(`read,send ${SEND} ci-bot\n`);
    expect(await hangUp(host, 1)).toMatch(/read the tokens file again: 1 token/);
    const removed = await get(`${host.url}/v1/runtimes`, READ);
    expect(removed).toMatchObject({ status: 401, body: { error: { code: 'unauthenticated' } } });
    expect((await get(`${host.url}/v1/runtimes`, SEND)).status).toBe(200);
    expect(host.child.exitCode).toBeNull();
    expect(host.stderr()).not.toContain(READ);
  });

  it('on SIGHUP with a bad file keeps the tokens in use and names the line, never the token', async () => {
    const host = await startHostProcess({ tokens: `read,send ${SEND} ci-bot\n` });
    const secrets: string[] = [];
    const bad = [
      (s: string) => `${s} read,send ci-bot`,
      (s: string) => `read,snd ${s} ci-bot`,
      (s: string) => `read,send ${s} ci-bot extra`,
      (s: string) => `read,send ${s} ci-bot expires=2027-02-30`,
      (s: string) => `read,send ${s.slice(0, 10)}`,
    ];
    for (const [i, line] of bad.entries()) {
      const value = secret();
      secrets.push(value);
      host.writeTokens(`# tokens\nread ${READ} viewer\n${line(value)}\n`);
      const said = await hangUp(host, i + 1);
      expect(said).toContain('kept the tokens in use');
      expect(said).toContain(`${host.tokensFile}:3:`);
      // The old tokens still hold: the one in use works, the one in the bad file does not.
      expect((await get(`${host.url}/v1/runtimes`, SEND)).status).toBe(200);
      expect((await get(`${host.url}/v1/runtimes`, READ)).status).toBe(401);
    }
    const stderr = host.stderr();
    for (const value of secrets) expect(partsShown(stderr, value)).toEqual([]);
  });

  it('refuses to start on a malformed line without showing any part of its token', async () => {
    const value = secret();
    const failed = startHostProcess({ tokens: `read ${READ} viewer\n${value} read,send ci-bot\n` });
    const error = await failed.then(
      () => null,
      (e: Error) => e,
    );
    expect(error?.message).toMatch(/host serve exited \(1\)/);
    expect(error?.message).toContain(':2:');
    expect(partsShown(error?.message ?? '', value)).toEqual([]);
  });

  it('answers an expired token 401 token_expired, and serves one that has not expired', async () => {
    const host = await startHostProcess({
      tokens: [
        `read,send ${SEND} ci-bot expires=2999-01-01`,
        `read ${READ} old-viewer expires=2020-01-01T00:00:00Z`,
        '',
      ].join('\n'),
    });
    const expired = await get(`${host.url}/v1/runtimes`, READ);
    expect(expired).toMatchObject({
      status: 401,
      body: { error: { code: 'token_expired', message: expect.stringContaining('2020-01-01') } },
    });
    expect((await get(`${host.url}/v1/runtimes`, SEND)).status).toBe(200);
    const log = await eventually(
      () => host.stderr(),
      (text) => text.includes('"status":401'),
      'the expired token logged',
    );
    expect(log).toMatch(/"status":401,"ms":[\d.]+,"token":"old-viewer"/);
    expect(log).not.toContain(READ);
  });
});
