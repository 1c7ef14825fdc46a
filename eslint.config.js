import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', 'examples/**/node_modules/', '.tmp/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
    rules: {
      'no-console': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['scripts/**', 'bench/**', '__tests__/**'],
    rules: { 'no-console': 'off' },
  },
  {
    // Runs with plain node in a Lambda runtime image; its stdout lines are the smoke test's results.
    files: ['src/smoke/*.mjs'],
    languageOptions: { globals: { performance: 'readonly' } },
    rules: { 'no-console': 'off' },
  },
);
