import { useEffect, useState } from 'react';
import { useServices } from './services-context.js';

const PREVIEW_MS = 500;

/**
 * The selected runtime's screen, read twice a second while the preview is shown (a live console
 * at 2 fps is plenty beside a list; watching full screen is its own view). Null until read, or
 * when the host cannot give it.
 */
export function useRuntimePreview(
  runtime: { host: string; id: string } | null,
  enabled: boolean,
): string[] | null {
  const { screen } = useServices();
  const [lines, setLines] = useState<string[] | null>(null);
  const host = runtime?.host;
  const id = runtime?.id;
  useEffect(() => {
    setLines(null);
    if (!enabled || !screen || host === undefined || id === undefined) return;
    let stopped = false;
    let last = '';
    const read = async () => {
      try {
        const shot = await screen(host, id);
        const joined = shot.lines.join('\n');
        // Re-render only when the screen moved.
        if (!stopped && joined !== last) {
          last = joined;
          setLines(shot.lines);
        }
      } catch {
        if (!stopped) setLines(null);
      }
    };
    void read();
    const timer = setInterval(read, PREVIEW_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [screen, host, id, enabled]);
  return lines;
}
