// Where the shipped definitions live. The package root is found by walking up from this
// module, so it works from src/ under the test runner and from the bundled dist/ alike.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE_NAME = 'incident';
let cachedRoot: string | undefined;

function isPackageRoot(dir: string): boolean {
  try {
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: unknown };
    return manifest.name === PACKAGE_NAME;
  } catch {
    return false;
  }
}

/** The folder holding this package's package.json (name "incident"). */
export function packageRoot(): string {
  if (cachedRoot !== undefined) return cachedRoot;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (isPackageRoot(dir)) return (cachedRoot = dir);
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find the ${PACKAGE_NAME} package root above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
}

/** The folder of shipped agent definitions. */
export function shippedAgentsDir(): string {
  return join(packageRoot(), 'agents');
}

/** The folder of shipped environment definitions. */
export function shippedEnvironmentsDir(): string {
  return join(packageRoot(), 'environments');
}

/** The shipped SRE agent: agents/sre.yaml. */
export function defaultAgentPath(): string {
  return join(shippedAgentsDir(), 'sre.yaml');
}

/** The shipped local environment: environments/local.yaml. */
export function defaultEnvironmentPath(): string {
  return join(shippedEnvironmentsDir(), 'local.yaml');
}
