// The dispatcher's pickup figures: bench/pickup.ts runs Dispatcher.pickup from source against
// simulated agents on a private tmux server and against loopback hosts.
import { runTsBench } from './lib.mjs';

export const pickupBench = () => runTsBench('bench/pickup.ts');
