// The tmux figures: bench/tmux.ts measures the adapter's classes, from source.
import { runTsBench } from './lib.mjs';

export const tmuxBench = () => runTsBench('bench/tmux.ts');
