import { describe, expect, it } from 'vitest';
import { json } from '../integration/helpers/fault-server.js';
import { describeResult, homeCli } from './helpers/cli.js';
import {
  addTicket,
  eventTypes,
  faultHost,
  HOST,
  runtimeObject,
  sendsSeen,
  showTicket,
  spawnCli,
  waitUntil,
} from './helpers/pickup-env.js';

/**
 * A pickup killed with SIGKILL while its send is on the wire (the host holds the request open):
 * the next dispatcher to start (`dispatch --once`, or a pickup of another ticket) finds the dead
 * process, marks its message unknown (interrupted) without sending it again, and releases its
 * claim, so that the ticket can be picked up anew.
 */

const RT = 'rt_4_crash1';
const OTHER_RT = 'rt_5_other1';

interface OutboxRow {
  id: string;
  ticketKey: string;
  state: string;
  sendingBy: string | null;
}

/** What starts the next dispatcher, given the other ticket's key. */
const TRIGGERS: [string, (other: string) => string[]][] = [
  ['dispatch --once', () => ['dispatch', '--once']],
  ['a pickup of another ticket', (other) => ['pickup', other, '--runtime', `${HOST}:${OTHER_RT}`]],
];

describe('a pickup killed mid-send', () => {
  it.each(TRIGGERS)('is recovered by %s: unknown, claim released, not resent', async (_n, args) => {
    const cr = await homeCli();
    const server = await faultHost(cr);
    const delivered = (id: string) =>
      json(200, {
        messageId: `m-${id}`,
        deliveredAt: new Date().toISOString(),
        runtime: runtimeObject(id, 'busy'),
      });
    // A send to RT is held open (read in full, never answered); anything else is delivered.
    server.fault = (req, res, seen) => {
      if (seen.url === `/v1/runtimes/${RT}/send`) return;
      delivered(OTHER_RT)(req, res, seen);
    };
    const key = await addTicket(cr, 'the uploader retries forever');
    const other = await addTicket(cr, 'the cron job runs twice');

    const pickup = spawnCli(cr.home, [
      '--send-timeout',
      '60000',
      'pickup',
      key,
      '--runtime',
      `${HOST}:${RT}`,
      '--attempts',
      '1',
    ]);
    let exitedEarly: number | string | undefined;
    void pickup.exited.then((code) => {
      exitedEarly = code;
    });
    await waitUntil('the host to see the send', () => {
      if (exitedEarly !== undefined) {
        throw new Error(`pickup ended (${exitedEarly}) before its send: ${pickup.stderr()}`);
      }
      return sendsSeen(server).length > 0 ? true : undefined;
    });

    // While it lives, the message is in flight and the ticket is claimed.
    const outbox = await cr('--json', 'outbox', 'list');
    expect(outbox.code, describeResult(outbox)).toBe(0);
    const inFlight = JSON.parse(outbox.stdout) as OutboxRow[];
    expect(inFlight).toEqual([expect.objectContaining({ ticketKey: key, state: 'pending' })]);
    expect(inFlight[0]?.sendingBy).not.toBeNull();
    const refused = await cr('pickup', key, '--runtime', `${HOST}:${RT}`);
    expect(refused.code, describeResult(refused)).toBe(1);
    expect(refused.stderr).toContain(`pid ${pickup.child.pid}`);

    pickup.child.kill('SIGKILL');
    expect(await pickup.exited).toBe('SIGKILL');
    const before = await showTicket(cr, key);
    expect(eventTypes(before)).not.toContain('send_interrupted');

    const recovery = await cr(...args(other));
    expect(recovery.code, describeResult(recovery)).toBe(0);

    const ticket = await showTicket(cr, key);
    expect(ticket.state).toBe('todo');
    expect(ticket.runtime).toBeNull();
    expect(ticket.messages).toEqual([
      expect.objectContaining({ state: 'unknown', runtime: `${HOST}:${RT}`, error: 'interrupted' }),
    ]);
    expect(ticket.lastError).toMatchObject({ kind: 'interrupted', host: HOST });
    const types = eventTypes(ticket);
    expect(types).toContain('send_interrupted');
    expect(types).toContain('claim_released');
    expect(types.filter((t) => t === 'send_interrupted')).toHaveLength(1);
    // The text may have been typed: it is never sent again on the dead process's behalf.
    expect(sendsSeen(server).filter((s) => s.url.includes(RT))).toHaveLength(1);
    const settled = JSON.parse((await cr('--json', 'outbox', 'list')).stdout) as OutboxRow[];
    expect(settled.find((m) => m.ticketKey === key)).toMatchObject({
      state: 'unknown',
      sendingBy: null,
    });

    // The claim is free: the operator picks the ticket up again, and this time it goes out.
    server.fault = delivered(RT);
    const again = await cr('--json', 'pickup', key, '--runtime', `${HOST}:${RT}`);
    expect(again.code, describeResult(again)).toBe(0);
    const redone = await showTicket(cr, key);
    expect(redone.state).toBe('in_progress');
    expect(redone.lastError).toBeNull();
    expect(redone.messages.map((m) => m.state)).toEqual(['unknown', 'delivered']);
    expect(sendsSeen(server).filter((s) => s.url.includes(RT))).toHaveLength(2);
  });
});
