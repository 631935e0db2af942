// Inlined at build time from package.json so --version reads no file.
import packageJson from '../../package.json' with { type: 'json' };

export const VERSION: string = packageJson.version;
