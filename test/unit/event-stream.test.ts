import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  EventStreamParser,
  EventStreamTooLarge,
  readOutputEvent,
  type SseEvent,
} from '../../src/adapters/http/event-stream.js';

function parseAll(chunks: string[], parser = new EventStreamParser()): SseEvent[] {
  return chunks.flatMap((chunk) => parser.push(chunk));
}

const RUNTIME = {
  id: 'rt_1_a',
  name: 'one',
  profile: null,
  cwd: '/tmp',
  state: 'exited',
  ticket: null,
  createdAt: '2026-01-01T00:00:00Z',
  lastActivityAt: '2026-01-01T00:00:00Z',
  command: 'sh',
};

describe('EventStreamParser', () => {
  it('reads events with a type and data, and a message without a type', () => {
    const events = parseAll(['event: output\ndata: aGk=\n\ndata: plain\n\n']);
    expect(events).toEqual([
      { type: 'output', data: 'aGk=', id: null },
      { type: 'message', data: 'plain', id: null },
    ]);
  });

  it('joins data lines with LF, and strips only one space after the colon', () => {
    expect(parseAll(['data:one\ndata:  two\ndata\n\n'])).toEqual([
      { type: 'message', data: 'one\n two\n', id: null },
    ]);
  });

  it('skips comments (keepalives) and does not dispatch an event without data', () => {
    expect(parseAll([': keepalive\n\nevent: state\n\n', 'event: x\ndata: y\n\n'])).toEqual([
      { type: 'x', data: 'y', id: null },
    ]);
  });

  it('accepts CRLF, CR and LF line ends, a CRLF split across chunks, and a leading BOM', () => {
    const events = parseAll(['\uFEFFevent: a\r', '\ndata: 1\r\r', '\n', 'event: b\rdata: 2\r\r']);
    expect(events).toEqual([
      { type: 'a', data: '1', id: null },
      { type: 'b', data: '2', id: null },
    ]);
  });

  it('keeps an event whose blank line has not come yet until it does', () => {
    const parser = new EventStreamParser();
    expect(parser.push('event: output\ndata: aG')).toEqual([]);
    expect(parser.push('k=\n')).toEqual([]);
    expect(parser.push('\n')).toEqual([{ type: 'output', data: 'aGk=', id: null }]);
  });

  it('carries the last id over to later events, and ignores retry and unknown fields', () => {
    expect(parseAll(['id: 7\nretry: 10\nfoo: bar\ndata: a\n\ndata: b\n\n'])).toEqual([
      { type: 'message', data: 'a', id: '7' },
      { type: 'message', data: 'b', id: '7' },
    ]);
  });

  it('gives the same events however the stream is cut into chunks', () => {
    const stream =
      ': hi\r\nevent: output\r\ndata: aGVsbG8=\r\n\r\nevent: state\ndata: {"a":1}\n\n' +
      'event: dropped\rdata: {"bytes":3}\r\rdata: x\ndata: y\n\n';
    const whole = parseAll([stream]);
    expect(whole).toHaveLength(4);
    fc.assert(
      fc.property(fc.array(fc.nat(stream.length), { maxLength: 12 }), (cuts) => {
        const points = [...new Set(cuts)].sort((a, b) => a - b);
        const chunks: string[] = [];
        let from = 0;
        for (const point of [...points, stream.length]) {
          chunks.push(stream.slice(from, point));
          from = point;
        }
        expect(parseAll(chunks)).toEqual(whole);
      }),
    );
  });

  it('refuses an endless line or event instead of growing without bound', () => {
    const parser = new EventStreamParser(100);
    expect(() => parser.push('data: '.padEnd(200, 'x'))).toThrow(EventStreamTooLarge);
    const many = new EventStreamParser(100);
    expect(() => many.push('data: 0123456789\n'.repeat(20))).toThrow(EventStreamTooLarge);
  });
});

describe('readOutputEvent', () => {
  it('decodes output as base64 bytes', () => {
    const bytes = Buffer.from([0xe2, 0x82, 0xac, 0x1b, 0x5b, 0x6d]);
    const read = readOutputEvent({ type: 'output', data: bytes.toString('base64'), id: null });
    expect(read).toEqual({ kind: 'output', bytes });
  });

  it('ignores output that is not base64', () => {
    expect(readOutputEvent({ type: 'output', data: 'not base64!', id: null })).toEqual({
      kind: 'ignored',
    });
    expect(readOutputEvent({ type: 'output', data: 'abc', id: null }).kind).toBe('ignored');
  });

  it('reads the dropped count as the host sends it, or as a bare number', () => {
    expect(readOutputEvent({ type: 'dropped', data: '{"bytes":4096}', id: null })).toEqual({
      kind: 'dropped',
      bytes: 4096,
    });
    expect(readOutputEvent({ type: 'dropped', data: '12', id: null })).toEqual({
      kind: 'dropped',
      bytes: 12,
    });
    for (const data of ['{"bytes":-1}', '{"bytes":"9"}', 'nope', '{"bytes":1.5}']) {
      expect(readOutputEvent({ type: 'dropped', data, id: null }).kind).toBe('ignored');
    }
  });

  it('reads a state as a runtime, or null when it has not the shape', () => {
    const read = readOutputEvent({ type: 'state', data: JSON.stringify(RUNTIME), id: null });
    expect(read).toMatchObject({ kind: 'state', runtime: { id: 'rt_1_a', state: 'exited' } });
    expect(readOutputEvent({ type: 'state', data: '{"id":1}', id: null })).toEqual({
      kind: 'state',
      runtime: null,
    });
    expect(readOutputEvent({ type: 'state', data: '{', id: null })).toEqual({
      kind: 'state',
      runtime: null,
    });
  });

  it('ignores events it does not know', () => {
    expect(readOutputEvent({ type: 'message', data: 'x', id: null })).toEqual({
      kind: 'ignored',
    });
  });
});
