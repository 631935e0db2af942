#!/usr/bin/env node
// The launcher: refuse an unsupported Node in one line, then hand over to the built CLI.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 13)) {
  process.stderr.write(
    `incident: Node.js ${process.versions.node} is too old; it needs Node.js 22.13 or newer ` +
      '(run it through `npx incident` in the project, whose npm install brings Node 24, or install Node 24 LTS).\n',
  );
  process.exit(2);
}
const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-v')) {
  // The fast path: a version check loads nothing but the version.
  const { VERSION } = await import('../dist/version.js');
  process.stdout.write(`${VERSION}\n`);
  process.exit(0);
}
const { main } = await import('../dist/cli.js');
process.exitCode = await main(process.argv);
