import { Text } from 'ink';
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { ChannelledServices, ServicesChannel } from '../../../src/ui/run.js';
import { type TuiServices, useServices } from '../../../src/ui/services-context.js';

function ShowProfiles() {
  return <Text>profiles: {useServices().profiles.join(',') || 'none'}</Text>;
}

describe('the services channel (the background comes up after the first frame)', () => {
  it('hands the screen its services when they change, and nothing once it is closed', async () => {
    let services: TuiServices = { pickup: () => Promise.reject(new Error('no')), profiles: [] };
    const channel = new ServicesChannel(() => services);
    const screen = render(
      <ChannelledServices channel={channel}>
        <ShowProfiles />
      </ChannelledServices>,
    );
    expect(screen.lastFrame()).toBe('profiles: none');
    services = { ...services, profiles: ['codex'] };
    channel.publish();
    await new Promise((resolve) => setImmediate(resolve));
    expect(screen.lastFrame()).toBe('profiles: codex');
    screen.unmount();
    const frames = screen.frames.length;
    // A publish after the screen closed (the operator quit while the background started) must
    // not draw, and so not mount anything again.
    services = { ...services, profiles: ['claude'] };
    channel.publish();
    await new Promise((resolve) => setImmediate(resolve));
    expect(screen.frames.length).toBe(frames);
  });
});
