import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import noForeignRepository from './apps/engine/lint/no-foreign-repository.cjs';
import foreignRepositoryBaseline from './apps/engine/lint/foreign-repositories.json' with { type: 'json' };
import noForeignTable from './apps/engine/lint/no-foreign-table.cjs';
import foreignTableBaseline from './apps/engine/lint/foreign-tables.json' with { type: 'json' };

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      'coverage/**',
      '.lab/**',
      'test-artifacts/**',
      '**/*.js',
      '**/*.mjs',
      '**/*.cjs',
      'migrations/**/*.js',
      'packages/shared-types/src/api/openapi.gen.ts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Raw SQL lives in repositories (`*.repository.ts`, each in the feature that owns its tables);
    // common/ keeps the database primitives (advisory locks, row estimates), health/ its ping and
    // tools/ the scratch databases.
    files: ['apps/engine/src/**/*.ts'],
    ignores: [
      'apps/engine/src/**/*.repository.ts',
      'apps/engine/src/**/*.spec.ts',
      'apps/engine/src/common/**',
      'apps/engine/src/health/**',
      'apps/engine/src/tools/**',
    ],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.property.name='query']",
          message: 'Raw SQL belongs in a repository (*.repository.ts) of the feature that owns the table.',
        },
      ],
    },
  },
  {
    // One feature never reaches another feature's tables through TypeORM or SQL: it asks the owner's
    // exported repository or service (apps/engine/lint/no-foreign-repository.cjs says why and how).
    files: ['apps/engine/src/**/*.ts'],
    ignores: ['apps/engine/src/**/*.spec.ts'],
    plugins: {
      kelpie: { rules: { 'no-foreign-repository': noForeignRepository, 'no-foreign-table': noForeignTable } },
    },
    rules: {
      'kelpie/no-foreign-repository': ['error', { baseline: foreignRepositoryBaseline }],
      // The same for raw SQL and query builders: tables named in another feature's SQL
      // (apps/engine/lint/no-foreign-table.cjs; declared read models: docs/adr/0058).
      'kelpie/no-foreign-table': ['error', { baseline: foreignTableBaseline }],
    },
  },
  {
    files: ['apps/web/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
  },
);
