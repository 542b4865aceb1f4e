import { describe, expect, it } from 'vitest';
import {
  type DetectedState,
  type DetectorMemory,
  type DetectorOptions,
  detectOnce,
  detectorFor,
  EMPTY_MEMORY,
  mapToRuntimeState,
  type PaneObservation,
  type StateDetector,
  WINDOW_LINES,
} from '../../src/adapters/tmux/detectors/index.js';

function obs(over: Partial<PaneObservation> = {}): PaneObservation {
  return { hookState: '', screen: [], currentCommand: 'node', dead: false, at: 0, ...over };
}

/** Feeds observations one after another, keeping the memory as a monitor would. */
function run(
  detector: StateDetector,
  steps: ReadonlyArray<{ at: number; screen: readonly string[]; hookState?: string }>,
  currentCommand = 'node',
): DetectedState[] {
  let memory: DetectorMemory = EMPTY_MEMORY;
  return steps.map((step) => {
    const result = detector.detect(
      obs({ at: step.at, screen: step.screen, hookState: step.hookState ?? '', currentCommand }),
      memory,
    );
    memory = result.memory;
    return result.state;
  });
}

const AGENTS = ['codex', 'claude', 'aider', 'sim'] as const;
const QUIET = ['some output', '› '];

const CODEX_BUSY = ['• Ran npm test', '', '• Working (12s • esc to interrupt)', '', '› ', ''];
const CODEX_DIALOG = [
  '• I need to run the tests.',
  '',
  '  Would you like to run the following command?',
  '',
  '  $ npm test',
  '',
  '› 1. Yes, proceed (y)',
  "  2. Yes, and don't ask again for this command (a)",
  '  3. No, and tell Codex what to do differently (esc)',
  '',
  '  Press enter to confirm or esc to cancel',
];
const CODEX_OLD_DIALOG = [
  '╭──────────────────────────────╮',
  '│Shell Command                 │',
  '│$ npm test                    │',
  '│Allow command?                │',
  '│ ❯ Yes (y)                    │',
  '│   Yes, always (a)            │',
  '│   No, and keep going (n)     │',
  '│   Edit or give feedback (e)  │',
  '╰──────────────────────────────╯',
];
const CLAUDE_BUSY = [
  '⏺ Reading src/index.ts',
  '',
  '✻ Thinking… (5s · ↑ 1.2k tokens · esc to interrupt)',
  '',
  '╭────────────────────────────╮',
  '│ >                          │',
  '╰────────────────────────────╯',
  '  ? for shortcuts',
];
const CLAUDE_DIALOG = [
  '╭──────────────────────────────────────────────╮',
  '│ Bash command                                  │',
  '│                                               │',
  '│   npm test                                    │',
  '│                                               │',
  '│ Do you want to proceed?                       │',
  '│ ❯ 1. Yes                                      │',
  "│   2. Yes, and don't ask again for npm commands │",
  '│   3. No, and tell Claude what to do (esc)     │',
  '╰──────────────────────────────────────────────╯',
];
const SIM_WORKING = [
  'sim-agent ready',
  '› fix it',
  'step 1 of 3… reading files',
  '• Working (2s • esc to interrupt)',
  '› ',
];
const SIM_QUESTION = 'Allow command "npm test"? (y/n)';
const SIM_WAITING = [
  'step 3 of 3… running checks',
  SIM_QUESTION,
  `${SIM_QUESTION} · esc to interrupt`,
  '› ',
];
const SIM_ANSWERED = [
  SIM_QUESTION,
  'answer: y (allowed)',
  'done: fix it',
  'enter to send · ctrl-d on an empty line to quit',
  '› ',
];
const SIM_ANSWERED_THEN_WORKING = [
  SIM_QUESTION,
  'answer: y (allowed)',
  '› next task',
  '• Working (1s • esc to interrupt)',
  '› ',
];

describe('hook states come first', () => {
  const profiles = [...AGENTS, 'shell', 'mystery', null];
  const cases: Array<[string, DetectedState]> = [
    ['busy', 'busy'],
    ['waiting', 'needs_input'],
    ['idle', 'idle'],
    [' BUSY\n', 'busy'],
  ];
  for (const profile of profiles) {
    it.each(cases)(`${String(profile)}: @agent_state %j → %s`, (hookState, expected) => {
      const o = obs({ hookState, screen: QUIET, currentCommand: 'node' });
      expect(detectOnce(profile, o)).toBe(expected);
      expect(detectorFor(profile).detect(o, EMPTY_MEMORY).state).toBe(expected);
    });
  }

  it.each(AGENTS)('%s: an unknown hook value is ignored', (profile) => {
    expect(detectOnce(profile, obs({ hookState: 'sleeping', screen: CODEX_BUSY }))).toBe('busy');
    expect(detectOnce(profile, obs({ hookState: 'sleeping', screen: QUIET }))).toBe('unknown');
  });

  it('the hook wins over the screen for Claude Code', () => {
    expect(detectOnce('claude', obs({ hookState: 'idle', screen: CLAUDE_BUSY }))).toBe('idle');
    expect(detectOnce('claude', obs({ hookState: 'waiting', screen: CLAUDE_BUSY }))).toBe(
      'needs_input',
    );
  });

  it('for Codex (only turn completion is hooked) a busy or approval screen beats a hook idle', () => {
    expect(detectOnce('codex', obs({ hookState: 'idle', screen: CODEX_BUSY }))).toBe('busy');
    expect(detectOnce('codex', obs({ hookState: 'idle', screen: CODEX_DIALOG }))).toBe(
      'needs_input',
    );
    expect(detectOnce('codex', obs({ hookState: 'idle', screen: QUIET }))).toBe('idle');
  });

  it('a dialog at the bottom beats a hook busy set before it appeared', () => {
    expect(detectOnce('claude', obs({ hookState: 'busy', screen: CLAUDE_DIALOG }))).toBe(
      'needs_input',
    );
    expect(detectOnce('claude', obs({ hookState: 'busy', screen: CLAUDE_BUSY }))).toBe('busy');
  });
});

describe('screen patterns per profile', () => {
  const cases: Array<[string, readonly string[], DetectedState]> = [
    ['codex', CODEX_BUSY, 'busy'],
    ['codex', ['Working (3s • Esc to interrupt)'], 'busy'],
    ['codex', ['Running… ctrl+c to interrupt'], 'busy'],
    ['codex', CODEX_DIALOG, 'needs_input'],
    ['codex', CODEX_OLD_DIALOG, 'needs_input'],
    ['codex', ['│ Approve this change? │', '│ ❯ Yes (y)  No (n) │'], 'needs_input'],
    ['codex', ['Do you want to apply these edits?', '› 1. Yes'], 'needs_input'],
    ['codex', ['Overwrite file? (y/n)'], 'needs_input'],
    ['codex', ['- Approve flow fixed in the parser', '› '], 'unknown'],
    ['claude', CLAUDE_BUSY, 'busy'],
    ['claude', CLAUDE_DIALOG, 'needs_input'],
    ['claude', ['❯ 1. Yes', '  2. No'], 'needs_input'],
    ['claude', ['│ Allow Claude to fetch https://example.com? │', '│ ❯ Yes │'], 'needs_input'],
    ['claude', ['Done. Changes:', '- Allow empty input in the parser', '> '], 'unknown'],
    ['aider', ['Add src/a.ts to the chat? (Y)es/(N)o/(A)ll/(S)kip all [Yes]: '], 'needs_input'],
    ['aider', ['Create new file src/b.ts? [Y/n] '], 'needs_input'],
    ['aider', ['Applied edit to src/a.ts', 'Commit 1a2b3c fix parser', '> '], 'unknown'],
    ['sim', SIM_WORKING, 'busy'],
    ['sim', SIM_WAITING, 'needs_input'],
    ['sim', SIM_ANSWERED, 'unknown'],
    ['sim', SIM_ANSWERED_THEN_WORKING, 'busy'],
  ];
  it.each(cases)('%s: %j → %s', (profile, screen, expected) => {
    expect(detectOnce(profile, obs({ screen }))).toBe(expected);
  });

  // The simulated agent's lines are understood whatever profile it runs under.
  const simAnyProfile = ['codex', 'claude', 'aider', 'generic', null];
  it.each(simAnyProfile)('the simulated agent under %s', (profile) => {
    expect(detectOnce(profile, obs({ screen: SIM_WORKING }))).toBe('busy');
    expect(detectOnce(profile, obs({ screen: SIM_WAITING }))).toBe('needs_input');
    expect(detectOnce(profile, obs({ screen: SIM_ANSWERED }))).toBe('unknown');
  });

  it('a busy line below an answered question means busy; a question on the status line wins', () => {
    expect(
      detectOnce('sim', obs({ screen: [SIM_QUESTION, 'y', '• Working (1s • esc to interrupt)'] })),
    ).toBe('busy');
    expect(detectOnce('sim', obs({ screen: [`${SIM_QUESTION} · esc to interrupt`] }))).toBe(
      'needs_input',
    );
  });
});

describe('only the bottom of the screen counts', () => {
  const filler = (n: number) => Array.from({ length: n }, (_, i) => `output line ${i}`);

  it.each(AGENTS)('%s: a busy line is read up to the last %d non-empty lines', (profile) => {
    const busyLine = '• Working (9s • esc to interrupt)';
    expect(WINDOW_LINES).toBe(15);
    expect(detectOnce(profile, obs({ screen: [busyLine, ...filler(14)] }))).toBe('busy');
    expect(detectOnce(profile, obs({ screen: [busyLine, ...filler(15)] }))).toBe('unknown');
  });

  it('blank lines do not push a status line out of the window', () => {
    const screen = ['• Working (9s • esc to interrupt)', ...filler(14), ...Array(30).fill('   ')];
    expect(detectOnce('codex', obs({ screen }))).toBe('busy');
  });

  it('an inline yes/no prompt counts only on the last three lines', () => {
    expect(detectOnce('sim', obs({ screen: [SIM_QUESTION, ...filler(2)] }))).toBe('needs_input');
    expect(detectOnce('sim', obs({ screen: [SIM_QUESTION, ...filler(3)] }))).toBe('unknown');
  });

  it('old scrollback questions and status lines above the window do not count', () => {
    const screen = [...CLAUDE_DIALOG, ...CLAUDE_BUSY, ...filler(15)];
    expect(detectOnce('claude', obs({ screen }))).toBe('unknown');
  });
});

describe('idle needs an unchanged screen', () => {
  const busy = ['• Working (1s • esc to interrupt)'];
  const done = ['done: fix it', '› '];

  it.each(AGENTS)('%s: busy stays busy until the screen is still for 1500 ms', (profile) => {
    const states = run(detectorFor(profile), [
      { at: 0, screen: busy },
      { at: 100, screen: done },
      { at: 1000, screen: done },
      { at: 1599, screen: done },
      { at: 1600, screen: done },
      { at: 5000, screen: done },
    ]);
    expect(states).toEqual(['busy', 'busy', 'busy', 'busy', 'idle', 'idle']);
  });

  it.each(AGENTS)('%s: a changing screen never goes idle', (profile) => {
    const steps = [{ at: 0, screen: busy }];
    for (let i = 1; i <= 40; i++) steps.push({ at: i * 500, screen: [`output ${i}`, '› '] });
    const states = run(detectorFor(profile), steps);
    expect(states.every((s) => s === 'busy')).toBe(true);
    expect(states).toHaveLength(41);
  });

  it.each(AGENTS)('%s: starting until the first still period', (profile) => {
    const states = run(detectorFor(profile), [
      { at: 0, screen: ['loading'] },
      { at: 700, screen: ['loading…'] },
      { at: 2199, screen: ['loading…'] },
      { at: 2200, screen: ['loading…'] },
    ]);
    expect(states).toEqual(['starting', 'starting', 'starting', 'idle']);
  });

  it('the delay is configurable', () => {
    const detector = detectorFor('codex', { idleAfterMs: 3000 });
    const states = run(detector, [
      { at: 0, screen: busy },
      { at: 100, screen: done },
      { at: 3000, screen: done },
      { at: 3100, screen: done },
    ]);
    expect(states).toEqual(['busy', 'busy', 'busy', 'idle']);
  });

  it('never idle on the first observation, even with no delay', () => {
    const detector = detectorFor('codex', { idleAfterMs: 0 });
    expect(
      run(detector, [
        { at: 0, screen: QUIET },
        { at: 0, screen: QUIET },
      ]),
    ).toEqual(['starting', 'idle']);
  });

  it('trailing blanks and blank lines at the bottom are no change', () => {
    const states = run(detectorFor('codex'), [
      { at: 0, screen: busy },
      { at: 100, screen: done },
      { at: 1000, screen: ['done: fix it   ', '› ', '', '  '] },
      { at: 1600, screen: done },
    ]);
    expect(states).toEqual(['busy', 'busy', 'busy', 'idle']);
  });

  it('a question that goes away was answered: busy, then idle once still', () => {
    const states = run(detectorFor('sim'), [
      { at: 0, screen: SIM_WAITING },
      { at: 500, screen: SIM_ANSWERED },
      { at: 1900, screen: SIM_ANSWERED },
      { at: 2000, screen: SIM_ANSWERED },
    ]);
    expect(states).toEqual(['needs_input', 'busy', 'busy', 'idle']);
  });

  it('after idle, a changing screen is typing for Codex but work for Aider (no busy line)', () => {
    const steps = [
      { at: 0, screen: QUIET },
      { at: 1500, screen: QUIET },
      { at: 1600, screen: ['some output', '› fix the'] },
    ];
    expect(run(detectorFor('codex'), steps)).toEqual(['starting', 'idle', 'idle']);
    expect(run(detectorFor('aider'), steps)).toEqual(['starting', 'idle', 'busy']);
  });

  it('returns new memory and leaves the old one alone', () => {
    const detector = detectorFor('codex');
    const first = detector.detect(obs({ at: 10, screen: busy }), EMPTY_MEMORY);
    expect(EMPTY_MEMORY).toEqual({ screenHash: null, unchangedSince: null, lastState: null });
    expect(first.memory).toMatchObject({ unchangedSince: 10, lastState: 'busy' });
    expect(first.memory.screenHash).not.toBeNull();
    const snapshot = { ...first.memory };
    const second = detector.detect(obs({ at: 20, screen: done }), first.memory);
    expect(first.memory).toEqual(snapshot);
    expect(second.memory.unchangedSince).toBe(20);
    expect(second.memory.screenHash).not.toBe(first.memory.screenHash);
  });
});

describe('a stale hook gives way to the screen', () => {
  const still = ['interrupted', '› '];
  const steps = (hookState: string, screen: readonly string[]) =>
    [0, 1000, 29_999, 30_000].map((at) => ({ at, screen, hookState }));

  it('Claude busy with no status line and a still screen for 30 s is taken as interrupted', () => {
    expect(run(detectorFor('claude'), steps('busy', still))).toEqual([
      'busy',
      'busy',
      'busy',
      'idle',
    ]);
    expect(run(detectorFor('claude'), steps('waiting', still))).toEqual([
      'needs_input',
      'needs_input',
      'needs_input',
      'idle',
    ]);
  });

  it('but not while the status line is on screen, nor when disabled', () => {
    expect(run(detectorFor('claude'), steps('busy', CLAUDE_BUSY))).toEqual(Array(4).fill('busy'));
    const trusting: Partial<DetectorOptions> = { staleHookMs: Number.POSITIVE_INFINITY };
    expect(run(detectorFor('claude', trusting), steps('busy', still))).toEqual(
      Array(4).fill('busy'),
    );
  });
});

describe('exited', () => {
  const all = [...AGENTS, 'shell', 'generic', null];
  it.each(all)('%s: a dead pane has exited, whatever the hook says', (profile) => {
    const o = obs({ dead: true, hookState: 'busy', screen: CODEX_BUSY, currentCommand: 'codex' });
    expect(detectOnce(profile, o)).toBe('exited');
    expect(detectorFor(profile).detect(o, EMPTY_MEMORY).state).toBe('exited');
  });

  const shells = ['bash', 'zsh', 'sh', 'fish', 'dash', 'ksh', 'tcsh', '-zsh', '/bin/bash', 'BASH'];
  for (const profile of AGENTS) {
    it.each(shells)(`${profile}: a shell (%s) back in front means the agent has exited`, (cmd) => {
      const o = obs({ currentCommand: cmd, hookState: 'busy', screen: CODEX_BUSY });
      expect(detectOnce(profile, o)).toBe('exited');
    });
  }

  it.each(['node', 'codex', 'claude', 'python3', 'bashful'])(
    '%s in front is not a shell',
    (cmd) => {
      expect(detectOnce('codex', obs({ currentCommand: cmd, screen: CODEX_BUSY }))).toBe('busy');
    },
  );

  it('an agent that comes back after exiting is starting', () => {
    const detector = detectorFor('codex');
    const gone = detector.detect(obs({ at: 0, dead: true }), EMPTY_MEMORY);
    expect(gone.state).toBe('exited');
    expect(detector.detect(obs({ at: 100, screen: ['booting'] }), gone.memory).state).toBe(
      'starting',
    );
  });
});

describe('shell profile', () => {
  const cases: Array<[string, Partial<PaneObservation>, DetectedState]> = [
    ['shell at its prompt', { currentCommand: 'bash', screen: ['$ '] }, 'idle'],
    ['zsh at its prompt', { currentCommand: 'zsh', screen: ['% '] }, 'idle'],
    ['a program in front', { currentCommand: 'npm', screen: ['> build'] }, 'busy'],
    ['vim in front', { currentCommand: 'vim', screen: ['~', '~'] }, 'busy'],
    ['a program asks', { currentCommand: 'apt', screen: ['Continue? [Y/n] '] }, 'needs_input'],
    [
      'an old question, shell back',
      { currentCommand: 'bash', screen: ['ok? (y/n) y', '$ '] },
      'idle',
    ],
    ['a stale hook, shell back', { currentCommand: 'bash', hookState: 'busy' }, 'idle'],
    ['a hooked agent in front', { currentCommand: 'claude', hookState: 'idle' }, 'idle'],
    ['dead', { currentCommand: 'bash', dead: true }, 'exited'],
  ];
  it.each(cases)('%s', (_name, over, expected) => {
    expect(detectOnce('shell', obs(over))).toBe(expected);
    expect(detectorFor('shell').detect(obs(over), EMPTY_MEMORY).state).toBe(expected);
  });
});

describe('one-shot reads', () => {
  it.each(AGENTS)('%s: a quiet screen is unknown, never idle, without history', (profile) => {
    const o = obs({ at: 10_000, screen: QUIET });
    expect(detectOnce(profile, o)).toBe('unknown');
    // With history the same screen debounces to idle.
    const detector = detectorFor(profile);
    const first = detector.detect(obs({ at: 0, screen: QUIET }), EMPTY_MEMORY);
    expect(detector.detect(o, first.memory).state).toBe('idle');
  });

  it.each(AGENTS)('%s: a one-shot read still sees patterns and hooks', (profile) => {
    expect(detectOnce(profile, obs({ screen: SIM_WORKING }))).toBe('busy');
    expect(detectOnce(profile, obs({ screen: QUIET, hookState: 'idle' }))).toBe('idle');
  });
});

describe('generic detector (unknown profiles)', () => {
  it.each([null, 'generic', 'mystery', ''])('%j gets the generic detector', (profile) => {
    expect(detectorFor(profile).profile).toBe('generic');
  });

  const cases: Array<[string, Partial<PaneObservation>, DetectedState]> = [
    ['codex in front, working', { currentCommand: 'codex', screen: CODEX_BUSY }, 'busy'],
    ['codex in front, approval', { currentCommand: 'codex', screen: CODEX_DIALOG }, 'needs_input'],
    ['claude in front, quiet', { currentCommand: 'claude', screen: QUIET }, 'unknown'],
    [
      'aider in front, asking',
      { currentCommand: 'aider', screen: ['Go? (Y)es/(N)o [Yes]: '] },
      'needs_input',
    ],
    ['node with a Claude dialog', { currentCommand: 'node', screen: CLAUDE_DIALOG }, 'needs_input'],
    ['node working', { currentCommand: 'node', screen: CLAUDE_BUSY }, 'busy'],
    [
      'node with a hook',
      { currentCommand: 'node', hookState: 'idle', screen: CLAUDE_BUSY },
      'idle',
    ],
    ['node, quiet', { currentCommand: 'node', screen: QUIET }, 'unknown'],
    ['a shell at its prompt', { currentCommand: 'bash', screen: ['$ '] }, 'idle'],
    ['a shell with a stale hook', { currentCommand: 'zsh', hookState: 'busy' }, 'idle'],
    ['dead', { currentCommand: 'node', dead: true }, 'exited'],
  ];
  it.each(cases)('%s', (_name, over, expected) => {
    expect(detectOnce('mystery', obs(over))).toBe(expected);
  });

  it('an unknown program: changing is busy, still is unknown', () => {
    const states = run(
      detectorFor(null),
      [
        { at: 0, screen: ['a'] },
        { at: 500, screen: ['b'] },
        { at: 1000, screen: ['b'] },
        { at: 2000, screen: ['b'] },
        { at: 9000, screen: ['b'] },
      ],
      'htop',
    );
    expect(states).toEqual(['unknown', 'busy', 'busy', 'unknown', 'unknown']);
  });

  it('an agent in front uses that agent’s debounce', () => {
    const states = run(
      detectorFor(null),
      [
        { at: 0, screen: QUIET },
        { at: 1500, screen: QUIET },
      ],
      'claude',
    );
    expect(states).toEqual(['starting', 'idle']);
  });
});

describe('detectorFor and mapToRuntimeState', () => {
  it.each([
    ['codex', 'codex'],
    ['claude', 'claude'],
    ['Claude-Code', 'claude'],
    ['aider', 'aider'],
    ['sim', 'sim'],
    ['sim-agent', 'sim'],
    ['shell', 'shell'],
    [' CODEX ', 'codex'],
  ])('%j → %s', (name, expected) => {
    expect(detectorFor(name).profile).toBe(expected);
  });

  it.each([
    ['starting', 'starting'],
    ['idle', 'idle'],
    ['busy', 'busy'],
    ['needs_input', 'needs_input'],
    ['exited', 'exited'],
    ['unknown', 'busy'],
  ] as const)('%s → %s', (detected, runtime) => {
    expect(mapToRuntimeState(detected)).toBe(runtime);
  });

  it('unknown can map to another state', () => {
    expect(mapToRuntimeState('unknown', 'starting')).toBe('starting');
    expect(mapToRuntimeState('idle', 'starting')).toBe('idle');
  });
});
