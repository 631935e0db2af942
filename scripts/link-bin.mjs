// Puts `incident` into this project's own node_modules/.bin (npm links the bins of
// dependencies there, never the project's own), so that with node_modules/.bin first on
// PATH, `incident` runs this checkout, and every hint the CLI prints ("Resume it with:
// incident resume …") can be pasted as it is. Run by `prepare` after `npm install` and
// `npm ci`; it only makes a symbolic link, and fetches nothing.
import { lstatSync, mkdirSync, readlinkSync, rmSync, symlinkSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const binDir = join(root, 'node_modules', '.bin');
const link = join(binDir, 'incident');
const target = relative(binDir, join(root, 'bin', 'incident.js'));

function currentTarget() {
  try {
    return lstatSync(link).isSymbolicLink() ? readlinkSync(link) : null;
  } catch {
    return undefined; // nothing there yet
  }
}

if (process.platform === 'win32') {
  // npm's own shims are .cmd files; there, `npx incident` is the way in.
  process.exit(0);
}
const existing = currentTarget();
if (existing !== target) {
  mkdirSync(binDir, { recursive: true });
  if (existing !== undefined) rmSync(link, { force: true });
  symlinkSync(target, link);
}
