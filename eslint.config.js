import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', '.bench/', '.data/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      eqeqeq: 'error',
      'no-console': 'off',
    },
  },
  {
    // shared/ is what every process agrees on: pure TypeScript, no Node,
    // Electron or DOM, so that the till, the cloud and the browser can all use it.
    files: ['shared/**/*.ts'],
    ignores: ['shared/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['node:*', 'electron', 'better-sqlite3', '../main/*', '../cloud-worker/*', '../renderer/*'],
              message: 'shared/ stays pure TypeScript.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/main/**', 'node:*', 'electron', 'better-sqlite3'],
              message: 'The renderer reaches the till only through PosApi.',
            },
          ],
        },
      ],
    },
  },
  {
    // Head office's app runs in the browser: it reaches the cloud only over HTTP.
    files: ['cloud-worker/office/web/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '**/main/**',
                'node:*',
                'electron',
                'better-sqlite3',
                '**/repositories/**',
                '**/db/**',
                '**/routes/**',
                '**/queue/**',
                '**/auth/**',
              ],
              message: 'The head-office app reaches the cloud only through its HTTP API.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['cloud-worker/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/main/**', 'electron', 'better-sqlite3'], message: 'The cloud never runs till code.' },
          ],
        },
      ],
    },
  },
);
