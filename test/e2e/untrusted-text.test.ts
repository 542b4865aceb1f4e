import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  type BoundCli,
  describeResult,
  homeCli,
  parseJson,
  type TicketJson,
} from './helpers/cli.js';

/**
 * Ticket text is untrusted: stored as given, never printed raw to a terminal. Human output has
 * no ESC, no C1 CSI and no bidi override; JSON output keeps the text exactly, escaped.
 */

const ESC = '\x1b';
const C1_CSI = '\x9b';
const RLO = '\u202e';

const TITLE =
  `Alert ${ESC}[31mred${ESC}[0m clip ${ESC}]52;c;SGVsbG8=\x07 wipe ${ESC}[2J ` +
  `bidi ${RLO}txt.exe${'\u202c'} c1 ${C1_CSI}31m end`;
const BODY = [
  `first ${ESC}[1mbold${ESC}[0m line`,
  `clipboard ${ESC}]52;c;SGVsbG8=\x07 written`,
  `${ESC}[2J${ESC}[H screen cleared`,
  `${RLO}reversed text`,
  `${C1_CSI}2J c1 clear tail`,
].join('\n');

function expectTerminalSafe(output: string): void {
  expect(output.includes(ESC), 'output contains ESC').toBe(false);
  expect(output.includes(C1_CSI), 'output contains a C1 CSI').toBe(false);
  expect(output.includes(RLO), 'output contains a bidi override').toBe(false);
}

async function addHostile(cr: BoundCli): Promise<string> {
  const result = await cr('tickets', 'add', '--title', TITLE, '--body', BODY, '--owner', 'x');
  expect(result.code, describeResult(result)).toBe(0);
  return result.stdout.trim();
}

describe('untrusted ticket text', () => {
  it('tickets list prints no escape sequences, C1 controls or bidi overrides', async () => {
    const cr = await homeCli();
    const key = await addHostile(cr);
    const result = await cr('tickets', 'list');
    expect(result.code, describeResult(result)).toBe(0);
    expectTerminalSafe(result.stdout);
    expect(result.stdout).toContain(key);
    expect(result.stdout).toMatch(/Alert .*red.* clip .* end/);
  });

  it('tickets show prints no escape sequences, C1 controls or bidi overrides', async () => {
    const cr = await homeCli();
    const key = await addHostile(cr);
    const result = await cr('tickets', 'show', key);
    expect(result.code, describeResult(result)).toBe(0);
    expectTerminalSafe(result.stdout);
    expect(result.stdout).toMatch(/Alert .*red/);
    expect(result.stdout).toContain('bold');
    expect(result.stdout).toContain('tail');
  });

  it('--json returns the title and body exactly as given, escaped', async () => {
    const cr = await homeCli();
    const key = await addHostile(cr);

    const shown = await cr('--json', 'tickets', 'show', key);
    expect(shown.code, describeResult(shown)).toBe(0);
    // JSON.stringify leaves C1 controls and bidi overrides raw; the CLI escapes them as well.
    for (const output of [shown.stdout]) {
      expect(output.includes(ESC), 'raw ESC in JSON output').toBe(false);
      expect(output.includes(C1_CSI), 'raw C1 CSI in JSON output').toBe(false);
      expect(output.includes(RLO), 'raw bidi override in JSON output').toBe(false);
    }
    expect(shown.stdout).toContain('\\u001b[31m');
    expect(shown.stdout).toContain('\\u009b');
    expect(shown.stdout).toContain('\\u202e');
    const ticket = parseJson<TicketJson>(shown);
    expect(ticket.title).toBe(TITLE);
    expect(ticket.body).toBe(BODY);

    const listed = await cr('--json', 'tickets', 'list');
    expect(listed.stdout.includes(ESC), 'raw ESC in JSON output').toBe(false);
    expect(listed.stdout.includes(C1_CSI), 'raw C1 CSI in JSON output').toBe(false);
    expect(listed.stdout.includes(RLO), 'raw bidi override in JSON output').toBe(false);
    expect(parseJson<TicketJson[]>(listed)[0]?.title).toBe(TITLE);
  });

  it('text imported from a file is kept as given and shown safely', async () => {
    const cr = await homeCli();
    const file = join(cr.home, 'hostile.ndjson');
    await writeFile(file, `${JSON.stringify({ key: 'EVIL-1', title: TITLE, body: BODY })}\n`);
    const imported = await cr('tickets', 'import', file);
    expect(imported.code, describeResult(imported)).toBe(0);

    const ticket = parseJson<TicketJson>(await cr('--json', 'tickets', 'show', 'EVIL-1'));
    expect(ticket.title).toBe(TITLE);
    expect(ticket.body).toBe(BODY);

    for (const args of [
      ['tickets', 'list'],
      ['tickets', 'show', 'EVIL-1'],
    ]) {
      const result = await cr(...args);
      expect(result.code, describeResult(result)).toBe(0);
      expectTerminalSafe(result.stdout);
      expect(result.stdout).toContain('EVIL-1');
    }
  });
});
