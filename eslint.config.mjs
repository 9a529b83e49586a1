// ESLint (flat config): typescript-eslint's recommended rules, Prettier owns formatting, and
// eslint-plugin-boundaries holds the layer map of docs/ARCHITECTURE.md:
//   domain ← projections ← application ← http, with adapters (storage, connectors) beside them.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import boundaries from 'eslint-plugin-boundaries';
import tseslint from 'typescript-eslint';

/** Each layer and what it may import. Files are matched first to last. */
const LAYERS = [
  { type: 'shared', pattern: 'src/shared/**', mayImport: ['shared'] },
  { type: 'domain', pattern: 'src/domain/**', mayImport: ['domain', 'shared'] },
  { type: 'projections', pattern: 'projections/**', mayImport: ['projections', 'domain', 'shared'] },
  {
    type: 'adapters',
    pattern: ['src/eventstore/**', 'src/connectors/**', 'src/credentials/**', 'src/storage/**', 'src/logging/**'],
    mayImport: ['adapters', 'domain', 'shared'],
  },
  { type: 'sandbox', pattern: 'src/sandbox/**', mayImport: ['sandbox', 'domain', 'shared'] },
  {
    type: 'http',
    pattern: ['src/http/**', 'src/**/*.controller.ts', 'src/**/*.dto.ts'],
    mayImport: ['http', 'application', 'projections', 'domain', 'shared', 'adapters'],
  },
  {
    type: 'composition',
    pattern: ['src/main.ts', 'src/app.ts', 'src/app.module.ts', 'src/**/*.module.ts', 'src/demo/**'],
    mayImport: ['composition', 'http', 'application', 'projections', 'domain', 'shared', 'adapters', 'sandbox'],
  },
  {
    type: 'application',
    pattern: 'src/**',
    mayImport: ['application', 'projections', 'domain', 'shared', 'adapters'],
  },
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'data/**', 'coverage/**', 'console/dist/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { ecmaVersion: 2023, sourceType: 'module' } },
    plugins: { boundaries },
    settings: {
      // `mode: 'full'` matches each pattern against the whole path, as file patterns such as
      // `src/**/*.controller.ts` need. Version 7 prints a deprecation notice for it once per run;
      // its replacement (`partialMatch: false`) matches folders only.
      'import/resolver': { node: { extensions: ['.ts', '.js', '.json'] } },
      'boundaries/include': ['src/**/*.ts', 'projections/**/*.ts'],
      'boundaries/elements': LAYERS.map(({ type, pattern }) => ({ type, pattern, mode: 'full' })),
    },
    rules: {
      'boundaries/dependencies': [
        'error',
        {
          default: 'disallow',
          policies: LAYERS.map(({ type, mayImport }) => ({
            from: { element: { type } },
            allow: { to: { element: { types: { anyOf: mayImport } } } },
          })),
        },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'off',
      // A variable a closure reads before its one assignment (a clock over the object being built) stays `let`.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
    },
  },
  {
    // The domain is pure: besides itself and src/shared it may use only TypeBox (event schemas are data).
    files: ['src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(?!\\.|@sinclair/typebox$)',
              message:
                'src/domain imports only itself, src/shared and @sinclair/typebox (docs/ARCHITECTURE.md, Layers).',
            },
          ],
        },
      ],
    },
  },
  {
    // Pure helpers: time, ids, JSON types, domain errors.
    files: ['src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: '^(?!\\.|node:crypto$)', message: 'src/shared holds pure helpers only.' }] },
      ],
    },
  },
  {
    // Plain CommonJS files (Jest's config, the test register hook) load their dependencies with require().
    files: ['**/*.js'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: {
      globals: {
        require: 'readonly',
        module: 'writable',
        process: 'readonly',
        __dirname: 'readonly',
        console: 'readonly',
      },
    },
  },
);
