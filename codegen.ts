// Typed client operations for partners: npm run codegen (test/codegen.test.ts checks the output is current).
// The composed supergraph loads as-is: its join__/link__ directives and types are declared in the file, and the
// client preset only emits types reachable from the operations, so none of them reach clients/generated/.
import type { CodegenConfig } from '@graphql-codegen/cli';

const config: CodegenConfig = {
  schema: 'schema/supergraph.graphql',
  documents: ['clients/operations/**/*.graphql'],
  generates: {
    'clients/generated/': {
      preset: 'client',
      config: {
        useTypeImports: true,
        // Relative imports with .js extensions, as NodeNext resolution requires.
        emitLegacyCommonJSImports: false,
        scalars: { DateTime: 'string', JSON: 'unknown' },
      },
    },
  },
};

export default config;
