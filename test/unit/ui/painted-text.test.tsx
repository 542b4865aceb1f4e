import chalk from 'chalk';
import fc from 'fast-check';
import { Text } from 'ink';
import { render } from 'ink-testing-library';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Paint, paint } from '../../../src/ui/components/painted-text.js';

const initialLevel = chalk.level;
beforeAll(() => {
  chalk.level = 2;
});
afterAll(() => {
  chalk.level = initialLevel;
});

const paints: fc.Arbitrary<Paint> = fc.record(
  {
    color: fc.constantFrom('#5fafff', '#ff5f5f', 'red', 'ansi256(7)'),
    backgroundColor: fc.constantFrom('#3a3a5a', 'blue'),
    dimColor: fc.boolean(),
    bold: fc.boolean(),
    italic: fc.boolean(),
    underline: fc.boolean(),
    strikethrough: fc.boolean(),
    inverse: fc.boolean(),
  },
  { requiredKeys: [] },
);
const texts = fc.constantFrom('', 'BENCH-1 ', 'todo        ', '› ', '漢字', 'needs input ');

function frame(node: React.ReactElement): string {
  const { lastFrame, unmount } = render(node);
  const out = lastFrame() ?? '';
  unmount();
  return out;
}

describe('paint', () => {
  it('draws what a Text of nested Texts with the same props draws, byte for byte', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(texts, paints), { minLength: 1, maxLength: 5 }), (pieces) => {
        const nested = frame(
          <Text>
            {pieces.map(([text, p], i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: a fixed list of pieces
              <Text key={i} {...p}>
                {text}
              </Text>
            ))}
          </Text>,
        );
        const painted = frame(<Text>{pieces.map(([text, p]) => paint(text, p)).join('')}</Text>);
        expect(painted).toBe(nested);
      }),
      { numRuns: 300 },
    );
  });
});
