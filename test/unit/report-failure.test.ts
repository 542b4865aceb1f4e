import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { BROKEN_PIPE_EXIT, type Io, reportFailure } from '../../src/cli/output.js';
import { AppFailure } from '../../src/domain/index.js';

function io() {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let said = '';
  stderr.on('data', (chunk) => {
    said += chunk;
  });
  return {
    io: { stdout, stderr, stdin: new PassThrough() } as unknown as Io,
    said: () => said,
    stdout,
  };
}

const epipe = () => Object.assign(new Error('write EPIPE'), { code: 'EPIPE', syscall: 'write' });

describe('reportFailure', () => {
  it('says nothing, and exits 141, when our own output lost its reader', async () => {
    const t = io();
    t.stdout.destroy();
    expect(await reportFailure(t.io, epipe())).toBe(BROKEN_PIPE_EXIT);
    expect(t.said()).toBe('');
  });

  it('reports a broken pipe that is not our output (a child that went away) as a failure', async () => {
    const t = io();
    expect(await reportFailure(t.io, epipe())).toBe(1);
    expect(t.said()).toContain('unexpected failure');
    expect(t.said()).toContain('EPIPE');
  });

  it('reports a typed failure with its exit code', async () => {
    const t = io();
    const code = await reportFailure(
      t.io,
      new AppFailure({ kind: 'usage', message: 'bad option', hint: 'try --help' }),
    );
    expect(code).toBe(2);
    expect(t.said()).toContain('bad option');
  });
});
