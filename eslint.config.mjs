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
    // The plugin's bundle (strapi-plugin build).
    'src/plugins/*/dist/',
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
    files: ['public/**/*.js', 'src/plugins/*/pages/**/*.js'],
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
    // The server code, type-aware: a promise nobody awaits inside a transaction is a write that
    // may land after the commit, or never (no-floating-promises, no-misused-promises, await-thenable,
    // require-await), and a value that prints as [object Object] is a wrong message or label. Typed
    // by the app's own tsconfig (the unit tests next to the code are type-checked by the tests'
    // one, tests/tsconfig.json). The no-unsafe-* family is not on yet: Strapi's services, Koa's
    // bodies and knex's rows are `any` at ~130 places that each need a type of their own.
    files: ['src/**/*.ts', 'config/**/*.ts'],
    ignores: ['src/admin/**', 'src/plugins/*/admin/**', '**/__tests__/**'],
    extends: [tseslint.configs.recommendedTypeCheckedOnly],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    // Raw SQL only in server/src/data/ (one module per table; CONTRIBUTING.md, "Where things
    // live"): everywhere else reaches the database through a data module, the Query Engine or the
    // Document Service. Passing `strapi.db.connection` to a data function is fine; querying it is
    // not. tests/layers.test.ts proves these selectors catch what they name.
    files: ['src/plugins/booking/server/src/**/*.ts'],
    ignores: ['src/plugins/booking/server/src/data/**', '**/__tests__/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        ...[
          ["CallExpression[callee.type='Identifier'][callee.name=/^(knex|trx)$/]", 'a knex query'],
          ["CallExpression[callee.type='MemberExpression'][callee.property.name='raw']", '`.raw(...)`'],
          [
            "CallExpression[callee.type='MemberExpression'][callee.property.name='connection'][callee.object.property.name='db']",
            'a query on `strapi.db.connection`',
          ],
          [
            "MemberExpression[object.type='MemberExpression'][object.property.name='connection'][object.object.property.name='db']",
            'raw use of `strapi.db.connection`',
          ],
          ["MemberExpression[property.name='schema'][object.type='Identifier'][object.name=/^(knex|trx)$/]", 'knex schema building'],
          [
            "CallExpression[callee.type='MemberExpression'][callee.property.name=/^(transacting|forUpdate|forShare|whereRaw|joinRaw|havingRaw|orderByRaw)$/]",
            'knex query building',
          ],
        ].map(([selector, what]) => ({
          selector,
          message: `Raw SQL only in server/src/data/: ${what} belongs in a data module (one per table), called with the transaction.`,
        })),
        {
          selector: "CallExpression[callee.type='MemberExpression'][callee.property.name='transaction'][callee.object.property.name='db']",
          message:
            '`strapi.db.transaction` resolves even when its COMMIT fails: use `transaction(strapi, work)` from utils/transaction.ts.',
        },
      ],
    },
  },
  {
    // Request/response types grouped per route, as Strapi's own plugins write their contracts.
    files: ['src/plugins/*/shared/**/*.ts'],
    rules: { '@typescript-eslint/no-namespace': 'off' },
  },
  prettier
);
