// Tickets at scale: importing 100,000 review findings, and listing 100,000 tickets as JSON.
// Baselines: the same rows written and read with better-sqlite3 directly, no CLI around them.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fmt, run } from './lib.mjs';

const cli = fileURLToPath(new URL('../dist/control-room.js', import.meta.url));
const COUNT = 100_000;
const RUNS = 3;
const best = (runs) => runs.reduce((a, b) => (b.ms < a.ms ? b : a));
const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'];

function findingsMarkdown(count) {
  const parts = [];
  for (let i = 0; i < count; i += 1) {
    parts.push(
      `# [auto-review] finding number ${i} in the generated corpus\n` +
        `**Severity:** ${SEVERITIES[i % 5]} **Location:** src/module_${i % 997}.ts:${i % 4000} **Flagged by:** codex\n` +
        `**Issue:** The code path ${i} does something the reviewer flagged; it spans\n` +
        'two lines of text, as real findings do.\n' +
        '**Suggested fix:** Do the thing the reviewer suggests, and add a regression test.\n' +
        `auto-review-hash: ${i.toString(16).padStart(12, '0')}\n`,
    );
  }
  return parts.join('\n---\n\n');
}

// The floor for the import: one transaction of plain inserts, in a separate process like the CLI.
const RAW_INSERT = `
const Database = require('better-sqlite3');
const db = new Database(process.argv[1]);
db.pragma('journal_mode = WAL'); db.pragma('synchronous = NORMAL');
db.exec('CREATE TABLE t (seq INTEGER PRIMARY KEY, key TEXT UNIQUE, title TEXT, severity TEXT, body TEXT, fix TEXT, hash TEXT UNIQUE, at TEXT);CREATE TABLE e (id INTEGER PRIMARY KEY, s INTEGER, at TEXT, type TEXT, text TEXT)');
const ins = db.prepare('INSERT INTO t (key,title,severity,body,fix,hash,at) VALUES (?,?,?,?,?,?,?)');
const ev = db.prepare('INSERT INTO e (s,at,type,text) VALUES (?,?,?,?)');
db.transaction(() => { for (let i = 0; i < ${COUNT}; i++) { const r = ins.run('CR-'+i, 'finding number '+i, 'high', 'The code path '+i+' does something', 'Do the thing', i.toString(16), '2026-11-25T00:00:00Z'); ev.run(r.lastInsertRowid, '2026-11-25T00:00:00Z', 'created', 'imported'); } })();
`;

// The floor for the listing: read every ticket and event row and print them as JSON.
const RAW_LIST = `
const Database = require('better-sqlite3');
const db = new Database(process.argv[1], { readonly: true });
const rows = db.prepare('SELECT * FROM tickets ORDER BY seq DESC').all();
const events = db.prepare('SELECT * FROM events').all();
process.stdout.write(JSON.stringify({ rows, events }, null, 2));
`;

export async function ticketsBench({ work }) {
  const home = join(work, 'tickets-home');
  const file = join(work, 'findings-100k.md');
  writeFileSync(file, findingsMarkdown(COUNT));
  const env = { ...process.env, CONTROL_ROOM_HOME: home };
  const cwd = fileURLToPath(new URL('..', import.meta.url));

  // Best of three, each side, alternating: this machine's speed drifts by a third over minutes.
  const raws = [];
  const imports = [];
  for (let i = 0; i < RUNS; i += 1) {
    rmSync(join(work, 'raw.db'), { force: true });
    rmSync(home, { recursive: true, force: true });
    raws.push(await run(process.execPath, ['-e', RAW_INSERT, join(work, 'raw.db')], { cwd }));
    imports.push(await run(process.execPath, [cli, 'tickets', 'import', file], { env }));
  }
  const raw = best(raws);
  const imported = best(imports);
  const perSecond = COUNT / (imported.ms / 1000);
  const rawPerSecond = COUNT / (raw.ms / 1000);

  const rawLists = [];
  const lists = [];
  for (let i = 0; i < RUNS; i += 1) {
    rawLists.push(
      await run(process.execPath, ['-e', RAW_LIST, join(home, 'control-room.db')], { cwd }),
    );
    lists.push(await run(process.execPath, [cli, 'tickets', 'list', '--json'], { env }));
  }
  const rawList = best(rawLists);
  const listed = best(lists);
  return [
    {
      name: `tickets import of ${COUNT.toLocaleString('en')} findings (best of ${RUNS})`,
      value: `${Math.round(perSecond).toLocaleString('en')} tickets/s (${fmt(imported.ms)} wall)`,
      ratio: rawPerSecond / perSecond,
      baselineName: `slower than raw SQLite inserts = ${Math.round(rawPerSecond).toLocaleString('en')}/s`,
      target: '≥ 50,000 tickets/s',
    },
    {
      name: `tickets list --json of ${COUNT.toLocaleString('en')} (best of ${RUNS})`,
      value: `${fmt(listed.ms)} wall, ${(listed.stdoutBytes / 1e6).toFixed(1)} MB`,
      ratio: listed.ms / rawList.ms,
      baselineName: `raw SQLite read + JSON = ${fmt(rawList.ms)}`,
      target: '< 1 s',
    },
  ];
}
