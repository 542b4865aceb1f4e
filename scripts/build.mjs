// Bundles the CLI into dist/: the launcher `control-room.js` (small, so `--version` costs little
// more than starting Node) and the chunks it loads on demand. Only better-sqlite3, a native
// addon, stays in node_modules.
import { chmod, mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { build } from 'esbuild';
import { bundlePlugins } from './bundle-plugins.mjs';
import { REPO_ROOT as root } from './repo-path.mjs';

const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8'));
const dist = join(root, 'dist');
const stub = join(root, 'scripts', 'empty-module.mjs');

await rm(dist, { recursive: true, force: true });
await mkdir(dist, { recursive: true });

await build({
  absWorkingDir: root,
  entryPoints: {
    'control-room': 'src/cli/entry.ts',
    // Worker threads load their code from a file of their own.
    'json-worker': 'src/adapters/db/json-worker.ts',
    'sim-agent': 'src/sim-agent/main.ts',
  },
  outdir: dist,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  minify: true,
  sourcemap: true,
  legalComments: 'none',
  chunkNames: 'chunk-[hash]',
  external: ['better-sqlite3', '@lydell/node-pty'],
  alias: { 'react-devtools-core': stub },
  define: {
    'process.env.NODE_ENV': '"production"',
    __CONTROL_ROOM_VERSION__: JSON.stringify(pkg.version),
  },
  // Some bundled CommonJS code calls require() for Node's own modules.
  banner: {
    js: "import{createRequire as __crRequire}from'node:module';const require=__crRequire(import.meta.url);",
  },
  logLevel: 'warning',
  plugins: bundlePlugins,
});
await chmod(join(dist, 'control-room.js'), 0o755);
