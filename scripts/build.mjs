// Bundles the CLI and the environment worker into dist/ with esbuild.
// The CLI entry stays tiny: every command loads its work with a dynamic import, so
// `--version` and `--help` never load Ink, React or the SDK (split chunks keep them apart).
import { build } from 'esbuild';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';

// Dependencies stay in node_modules, except commander: bundled in, it starts faster,
// and it is all `--version` and `--help` load.
const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const external = Object.keys({ ...pkg.dependencies, ...pkg.devDependencies })
  .filter((name) => name !== 'commander')
  .flatMap((name) => [name, `${name}/*`]);

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
  external,
  // Bundled CommonJS (commander) calls require() for Node built-ins.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  sourcemap: 'linked',
  jsx: 'automatic',
  logLevel: 'warning',
  chunkNames: 'chunks/[name]-[hash]',
});

// `incident --version` is answered by the launcher from this one-line module, without
// loading the CLI at all.
writeFileSync('dist/version.js', `export const VERSION = ${JSON.stringify(pkg.version)};\n`);
