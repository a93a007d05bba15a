import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    // One graphql module for every importer ("Cannot use GraphQLSchema from another realm").
    alias: { graphql: require.resolve('graphql') },
  },
  test: {
    include: ['**/tests/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['node_modules/**', '.data/**', '.tools/**', '.bench-tools/**'],
    globalSetup: ['test/setup/stack.ts'],
    setupFiles: ['reflect-metadata'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    maxWorkers: 2,
  },
});
