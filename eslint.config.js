// Lint: typescript-eslint's recommended rules, no console in src (the CLI prints
// through its io), no `any`, and not the browser's `escape`/`unescape` (percent-encoding):
// a module whose own regex-escaping helper goes missing would otherwise call them silently. Layer boundaries are checked by test/architecture.test.ts.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'fixtures/**', 'coverage/**', '.tmp/**', '.bench-data/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['src/**/*.ts', 'src/**/*.tsx'],
    rules: {
      'no-console': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-globals': ['error', { name: 'escape', message: 'percent-encodes; make text literal in a regular expression with escapeRegExp (src/regexp.ts)' }, { name: 'unescape', message: 'percent-decodes; use decodeURIComponent' }],
    },
  },
  {
    files: ['test/**/*.ts', 'test/**/*.tsx', 'bench/**/*.mjs', 'scripts/**/*.mjs'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
);
