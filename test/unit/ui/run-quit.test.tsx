import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { runTui, type TuiBackground } from '../../../src/ui/run.js';
import { NO_COLOR_THEME } from '../../../src/ui/theme/theme.js';

/** A terminal's two streams, enough for Ink: keys written in, frames written out. */
function fakeTerminal() {
  let data: string | null = null;
  const rawModes: boolean[] = [];
  const stdin = Object.assign(new EventEmitter(), {
    isTTY: true,
    setEncoding() {},
    setRawMode(on: boolean) {
      rawModes.push(on);
    },
    resume() {},
    pause() {},
    ref() {},
    unref() {},
    read() {
      const out = data;
      data = null;
      return out;
    },
    press(key: string) {
      data = key;
      stdin.emit('readable');
      stdin.emit('data', key);
    },
  });
  const stdout = Object.assign(new EventEmitter(), {
    columns: 100,
    rows: 30,
    isTTY: true,
    write: (_text: string, callback?: () => void) => {
      callback?.();
      return true;
    },
  });
  return {
    terminal: {
      stdin: stdin as unknown as NodeJS.ReadStream,
      stdout: stdout as unknown as NodeJS.WriteStream,
    },
    press: stdin.press,
    /** Whether Ink let go of the keyboard (raw mode off): the screen has closed. */
    released: () => rawModes.includes(false),
  };
}

const until = async (check: () => boolean, what: string, act = () => {}) => {
  const deadline = Date.now() + 5_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    act();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

describe('quitting the control room', () => {
  it('quits on q pressed while the background is still starting', async () => {
    const { terminal, press, released } = fakeTerminal();
    let backgroundCalled = false;
    let startBackground: (background: TuiBackground) => void = () => {};
    let stopped = false;
    const closed = runTui({
      tickets: [],
      theme: NO_COLOR_THEME,
      terminal,
      background: () => {
        backgroundCalled = true;
        return new Promise((resolve) => {
          startBackground = resolve;
        });
      },
    });
    let done = false;
    void closed.then(() => {
      done = true;
    });

    await until(() => backgroundCalled, 'the background to be asked for');
    // q until Ink lets go of the keyboard: the screen has closed, the background still starts.
    await until(released, 'the screen to close on q', () => press('q'));
    expect(done).toBe(false);

    startBackground({
      services: { pickup: () => Promise.reject(new Error('unused')), profiles: [] },
      stop: async () => {
        stopped = true;
      },
    });
    await until(() => done, 'the control room to return after the quit');
    expect(stopped).toBe(true);
  });
});
