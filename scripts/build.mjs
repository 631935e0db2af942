// Bundles the CLI and the environment worker into dist/ with esbuild.
// Every command loads its work with a dynamic import, so `--help` never loads Ink, React
// or the SDK (split chunks keep them apart), and `--version` is answered by the launcher.
import { build } from 'esbuild';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';

// The runtime dependencies are bundled in: one file read instead of hundreds makes the
// terminal UI's first frame about twice as fast (Ink and React alone are ~0.5 s to load
// from node_modules). Development packages stay outside, and so does Ink's optional
// devtools hook.
const BUNDLED = new Set(['commander', 'ink', 'react', 'chalk', 'ora', 'yaml', 'zod', '@anthropic-ai/sdk', '@modelcontextprotocol/sdk']);
const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const external = Object.keys({ ...pkg.dependencies, ...pkg.devDependencies })
  .filter((name) => !BUNDLED.has(name))
  .flatMap((name) => [name, `${name}/*`])
  .concat(['react-devtools-core']);

/**
 * The MCP SDK's server and client construct an Ajv validator (and the SDK loads Ajv) even
 * when nothing is validated with it: about 40 ms of CPU in every worker and command that
 * speaks MCP. The SDK's import of its Ajv provider resolves to src/protocol/deferred-ajv.ts,
 * which loads the real provider the first time a validator is asked for.
 */
const deferAjv = {
  name: 'defer-ajv',
  setup(build) {
    build.onResolve({ filter: /\/validation\/ajv-provider\.js$/ }, (args) =>
      /@modelcontextprotocol[\\/]sdk[\\/]/.test(args.importer) ? { path: resolvePath('src/protocol/deferred-ajv.ts') } : undefined,
    );
  },
};

const entryPoints = Object.fromEntries(
  Object.entries({
    cli: 'src/cli/main.ts',
    'hands-worker': 'src/hands/worker-main.ts',
    'upload-indexer': 'src/bundle/upload-index-worker.ts',
    eval: 'src/eval/main.ts',
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
  // Bundled CommonJS (commander, react) calls require() for Node built-ins.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  sourcemap: 'linked',
  jsx: 'automatic',
  logLevel: 'warning',
  chunkNames: 'chunks/[name]-[hash]',
  plugins: [deferAjv],
});

// `incident --version` is answered by the launcher from this one-line module, without
// loading the CLI at all.
writeFileSync('dist/version.js', `export const VERSION = ${JSON.stringify(pkg.version)};\n`);
