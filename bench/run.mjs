// `npm run bench`: prints each figure and, where one exists, its ratio to a baseline measured in
// the same run. Later issues add benchmarks here. Usage: node bench/run.mjs [--only NAME] [--json]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hostBench } from './host.mjs';
import { pickupBench } from './pickup.mjs';
import { startupBench } from './startup.mjs';
import { ticketsBench } from './tickets.mjs';
import { tmuxBench } from './tmux.mjs';
import { tuiBench } from './tui.mjs';
import { watchBench } from './watch.mjs';

const BENCHES = {
  startup: startupBench,
  tickets: ticketsBench,
  tmux: tmuxBench,
  host: hostBench,
  pickup: pickupBench,
  tui: tuiBench,
  watch: watchBench,
};

const args = process.argv.slice(2);
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
const json = args.includes('--json');
const work = mkdtempSync(join(tmpdir(), 'cr-bench-'));
const results = [];
try {
  for (const [name, bench] of Object.entries(BENCHES)) {
    if (only && only !== name) continue;
    for (const figure of await bench({ work })) {
      results.push(figure);
      if (!json) {
        const ratio =
          figure.ratio === undefined
            ? ''
            : `  (${figure.ratio.toFixed(2)}× ${figure.baselineName})`;
        const target = figure.target ? `  target: ${figure.target}` : '';
        console.log(`${figure.name.padEnd(42)} ${figure.value}${ratio}${target}`);
      }
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
if (json) console.log(JSON.stringify(results, null, 2));
