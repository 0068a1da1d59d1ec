// ESLint (flat config): typescript-eslint's recommended rules, the import-cycle rule, and the layer
// rule that keeps src/common from knowing the feature modules. Formatting is Prettier's (.prettierrc.json);
// eslint-config-prettier turns off the rules that would fight it.
import tseslint from 'typescript-eslint';
import importX, { createNodeResolver } from 'eslint-plugin-import-x';
import prettier from 'eslint-config-prettier';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'src/workbench/ui/dist/**', 'examples/client/gql/**', '**/*.data.ts', 'bench/results-*/**'] },
  ...tseslint.configs.recommended,
  importX.flatConfigs.typescript,
  prettier,
  {
    files: ['**/*.ts', '**/*.tsx'],
    settings: { 'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.tsx', '.js'] })] },
    rules: {
      // No import circles anywhere (type-only imports included: a circle of types is still a circle of design).
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-explicit-any': 'off',
      // type-graphql's and TypeORM's metadata name classes as `Function` (resolver targets, entity
      // targets); the code that reads that metadata must use the same type.
      '@typescript-eslint/no-unsafe-function-type': 'off',
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
  {
    // The layers: common/ (and the runtime machinery) know nothing of the feature modules.
    files: ['src/common/**/*.ts', 'src/runtime/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/modules/**', '**/modules'], message: 'src/common and src/runtime must not import the feature modules (docs/architecture.md).' }] }],
    },
  },
);
