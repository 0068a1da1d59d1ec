import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * Types for the example operations (docs/operations, the workbench's examples, and login.graphql
 * here) from the committed schema. An operation the schema no longer satisfies fails here; a
 * changed result type fails the type-check of the scripts (npm run examples:check).
 */
const config: CodegenConfig = {
  schema: 'schema/schema.graphql',
  documents: ['docs/operations/**/*.graphql', 'examples/client/*.graphql'],
  generates: {
    'examples/client/gql/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        scalars: { DateTime: 'string', SafeInt: 'number' },
        enumsAsTypes: true,
        useTypeImports: true,
        strictScalars: true,
      },
    },
  },
  ignoreNoDocuments: false,
};

export default config;
