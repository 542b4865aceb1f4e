import { describe, expect, it } from 'vitest';
import { displayWidth } from '../../../src/domain/display-width.js';
import { choiceText } from '../../../src/ui/components/PickupChooser.js';
import type { PickupChoice } from '../../../src/ui/pickup-choices.js';

const deep = `/tmp/${'very-deep-folder/'.repeat(6)}control-room`;
const choice = (disabledReason?: string): PickupChoice => ({
  label: `local:plain  -  ${deep}`,
  name: 'local:plain',
  target: { kind: 'existing', host: 'local', runtime: 'rt_1' },
  ...(disabledReason ? { disabledReason } : {}),
});
const REASON = 'runs sh, a shell: start an agent there first';

describe('a chooser line', () => {
  it.each([76, 80, 98, 118])('at %i columns keeps a disabled line’s reason whole', (width) => {
    const text = choiceText(choice(REASON), width);
    expect(text.endsWith(`— ${REASON}`)).toBe(true);
    expect(displayWidth(text)).toBeLessThanOrEqual(width);
    expect(text.startsWith('local:plain')).toBe(true);
  });

  it('cuts the reason only when not even a short label would fit beside it', () => {
    const text = choiceText(choice(REASON), 40);
    expect(text.startsWith('local:plain  -  /tmp/')).toBe(true);
    expect(text).toContain('— runs sh');
  });

  it('leaves a line that can take the ticket as its label', () => {
    expect(choiceText(choice(), 40)).toBe(choice().label);
  });
});
