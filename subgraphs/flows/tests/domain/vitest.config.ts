import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * The graph functions are pure: these tests need none of the stack that the root
 * config's global setup starts. Run them alone with
 * `npx vitest run --config subgraphs/flows/tests/domain/vitest.config.ts`.
 */
export default defineConfig({
  // Keep vitest's cache with the repository's, not in a node_modules/ beside these tests.
  cacheDir: fileURLToPath(new URL('../../../../node_modules/.vite', import.meta.url)),
  test: {
    root: fileURLToPath(new URL('.', import.meta.url)),
    include: ['**/*.test.ts'],
    // One test hands layout ops to applyOps, whose input types carry type-graphql decorators.
    setupFiles: ['reflect-metadata'],
    maxWorkers: 2,
  },
});
