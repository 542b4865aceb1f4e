// The runtime host's figures: bench/host.ts starts the host from source, in a child process,
// over a private tmux server.
import { runTsBench } from './lib.mjs';

export const hostBench = () => runTsBench('bench/host.ts');
