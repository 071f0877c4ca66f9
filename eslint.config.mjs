// @ts-check
/**
 * `npm run lint` (eslint, then prettier --check); `npm test` runs it first. Formatting is
 * Prettier's (.prettierrc): eslint-config-prettier turns off the rules that would argue with it.
 */
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import prettier from 'eslint-config-prettier';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  globalIgnores([
    'node_modules/',
    'dist/',
    'build/',
    '.cache/',
    '.tmp/',
    '.strapi/',
    'coverage/',
    'types/generated/',
    'tests/artifacts/',
    'bench/.work/',
  ]),
  { linterOptions: { reportUnusedDisableDirectives: 'error' } },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.mjs'],
    languageOptions: { globals: globals.node },
  },
  {
    // CommonJS: scripts, the jest configs, the plugin's entry files, the test processes.
    files: ['**/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: globals.node },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // The demo booking pages and the widget: ES modules in the visitor's browser, no build.
    files: ['public/**/*.js'],
    languageOptions: { sourceType: 'module', globals: globals.browser },
  },
  {
    // The admin panel: React in the browser, bundled by Vite.
    files: ['src/admin/**/*.{ts,tsx}', 'src/plugins/*/admin/**/*.{ts,tsx}'],
    extends: [reactHooks.configs.flat['recommended-latest']],
    languageOptions: { globals: globals.browser },
  },
  {
    files: ['tests/**', '**/__tests__/**'],
    languageOptions: { globals: globals.jest },
  },
  {
    files: ['**/*.ts', '**/*.tsx'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    // Request/response types grouped per route, as Strapi's own plugins write their contracts.
    files: ['src/plugins/*/shared/**/*.ts'],
    rules: { '@typescript-eslint/no-namespace': 'off' },
  },
  prettier
);
