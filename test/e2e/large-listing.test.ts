import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeResult, homeCli, parseJson, type TicketJson } from './helpers/cli.js';

// Past 20,000 tickets `tickets list --json` is read by two worker threads, each building half
// the listing; this checks the halves join into one listing, whole and in order.
const COUNT = 30_000;

function findings(count: number): string {
  const parts: string[] = [];
  for (let i = 1; i <= count; i += 1) {
    const severity = ['critical', 'high', 'medium', 'low', 'info'][i % 5];
    parts.push(
      `# finding ${i}\n**Severity:** ${severity} **Location:** src/m${i % 7}.ts:${i}\n` +
        `**Issue:** issue ${i} with "quotes" and é\n**Suggested fix:** fix ${i}\n` +
        `auto-review-hash: h${i.toString(16)}\n`,
    );
  }
  return parts.join('\n---\n');
}

describe('a listing large enough to be read in parallel', () => {
  it('is every ticket once, newest first, equal to each ticket shown alone', async () => {
    const cr = await homeCli();
    const file = join(cr.home, 'many.md');
    await writeFile(file, findings(COUNT));
    const imported = await cr('tickets', 'import', file);
    expect(imported.code, describeResult(imported)).toBe(0);
    // Move a few, so that a state filter crosses both halves.
    for (const key of ['CR-2', 'CR-15000', 'CR-29999']) {
      expect((await cr('tickets', 'set-state', key, 'review')).code).toBe(0);
    }

    const listed = await cr('--json', 'tickets', 'list');
    expect(listed.code, describeResult(listed)).toBe(0);
    const tickets = parseJson<TicketJson[]>(listed);
    expect(tickets).toHaveLength(COUNT);
    const numbers = tickets.map((t) => Number(t.key.slice(3)));
    expect(numbers[0]).toBe(COUNT);
    expect(numbers.every((n, i) => i === 0 || n === (numbers[i - 1] as number) - 1)).toBe(true);

    for (const key of ['CR-30000', 'CR-15001', 'CR-15000', 'CR-2', 'CR-1']) {
      const shown = parseJson<TicketJson>(await cr('--json', 'tickets', 'show', key));
      expect(tickets.find((t) => t.key === key)).toEqual(shown);
    }

    const review = parseJson<TicketJson[]>(
      await cr('--json', 'tickets', 'list', '--state', 'review'),
    );
    expect(review.map((t) => t.key)).toEqual(['CR-29999', 'CR-15000', 'CR-2']);
  });
});
