import { describe, expect, it } from 'vitest';
import { LocalTmuxDriver } from '../../src/adapters/tmux/local-driver.js';
import { TmuxClient } from '../../src/adapters/tmux/tmux-client.js';
import { SendFailure } from '../../src/domain/index.js';
import { eventually, privateTmuxPerTest } from './helpers/tmux-server.js';

const server = privateTmuxPerTest();

describe('a send that is typed but never taken up', () => {
  it('is post_send (outcome unknown), not delivered', async () => {
    // A program that shows nothing of what it is given: no echo, never reads.
    await server.tmux(
      'new-session',
      '-d',
      '-s',
      'deaf',
      '-x',
      '80',
      '-y',
      '24',
      'sh',
      '-c',
      'stty -echo; echo deaf-ready; exec sleep 300',
    );
    const driver = new LocalTmuxDriver({
      tmux: new TmuxClient({ socketName: server.name() }),
      profiles: {},
    });
    const [runtime] = await eventually(
      () => driver.list(),
      (l) => l.length === 1,
      'the session',
    );
    await eventually(
      async () => (await driver.screen(runtime?.id ?? '')).lines.join('\n'),
      (screen) => screen.includes('deaf-ready'),
      'the program to start',
    );
    const error = await driver.send(runtime?.id ?? '', 'hello', { idempotencyKey: 'k1' }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SendFailure);
    expect((error as SendFailure).error.kind).toBe('post_send');
    expect((error as SendFailure).error.message).toMatch(/did not take it up/);
  });
});
