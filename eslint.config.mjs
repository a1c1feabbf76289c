import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

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
    files: ['apps/web/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
  },
);
