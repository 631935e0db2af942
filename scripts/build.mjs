// Bundles the CLI and the environment worker into dist/ with esbuild.
// The CLI entry stays tiny: every command loads its work with a dynamic import, so
// `--version` and `--help` never load Ink, React or the SDK (split chunks keep them apart).
import { build } from 'esbuild';
import { existsSync, rmSync } from 'node:fs';

const entryPoints = Object.fromEntries(
  Object.entries({
    cli: 'src/cli/main.ts',
    'hands-worker': 'src/hands/worker-main.ts',
    eval: 'src/cli/eval-main.ts',
  }).filter(([, file]) => existsSync(file)),
);

rmSync('dist', { recursive: true, force: true });
await build({
  entryPoints,
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node22',
  packages: 'external',
  sourcemap: 'linked',
  jsx: 'automatic',
  logLevel: 'warning',
  chunkNames: 'chunks/[name]-[hash]',
});
