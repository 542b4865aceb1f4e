import { describe, expect, it } from 'vitest';
import { AppFailure } from '../../src/domain/index.js';
import { findRuntime, type ListedHost } from '../../src/services/runtime-lookup.js';
import { makeRuntime } from './helpers/tickets.js';

/** `runtimes close X`: X is an id or a name, with or without its host (issue 13 item 12). */

const LISTED: ListedHost[] = [
  {
    host: 'local',
    failed: false,
    runtimes: [
      makeRuntime({ id: 'rt_1_a', name: 'shell-x' }),
      makeRuntime({ id: 'rt_2_b', name: 'agent' }),
    ],
  },
  {
    host: 'buildbox',
    failed: false,
    runtimes: [
      makeRuntime({ id: 'rt_1_a', name: 'agent' }),
      makeRuntime({ id: 'rt_9_z', name: 'far' }),
    ],
  },
  { host: 'down', failed: true, runtimes: [] },
];

function failure(given: string): AppFailure {
  try {
    findRuntime(LISTED, given);
  } catch (error) {
    if (error instanceof AppFailure) return error;
    throw error;
  }
  throw new Error(`${given} was found`);
}

describe('findRuntime', () => {
  it.each([
    ['shell-x', 'local', 'rt_1_a'],
    ['far', 'buildbox', 'rt_9_z'],
    ['rt_9_z', 'buildbox', 'rt_9_z'],
    ['local:agent', 'local', 'rt_2_b'],
    ['buildbox:agent', 'buildbox', 'rt_1_a'],
    ['local:rt_1_a', 'local', 'rt_1_a'],
    ['buildbox:rt_1_a', 'buildbox', 'rt_1_a'],
  ])('%s is %s:%s', (given, host, id) => {
    const found = findRuntime(LISTED, given);
    expect([found.host, found.runtime.id]).toEqual([host, id]);
  });

  it('says which runtimes a name or id shared by two hosts names', () => {
    for (const given of ['agent', 'rt_1_a']) {
      const { error } = failure(given);
      expect(error.kind).toBe('usage');
      expect(error.message).toContain(`"${given}" names 2 runtimes`);
      expect(error.message).toContain('local:rt_');
      expect(error.message).toContain('buildbox:rt_1_a');
      expect(error.hint).toContain('HOST:ID');
    }
  });

  it('names the hosts it looked on, and those that could not be asked', () => {
    const { error } = failure('shell-nope');
    expect(error.kind).toBe('not_found');
    expect(error.message).toBe('no runtime shell-nope on local, buildbox, down');
    expect(error.hint).toContain('down could not be asked');
    expect(failure('buildbox:shell-x').error.message).toBe(
      'no runtime buildbox:shell-x on buildbox',
    );
  });

  it('refuses an empty name after the host', () => {
    expect(failure('local:').error.kind).toBe('usage');
  });
});
