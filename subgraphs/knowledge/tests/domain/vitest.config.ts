import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * The domain's functions are pure: these tests need none of the stack that the root
 * config's global setup starts. Run them alone with
 * `npx vitest run --config subgraphs/knowledge/tests/domain/vitest.config.ts`.
 */
export default defineConfig({
  // Keep vitest's cache with the repository's, not in a node_modules/ beside these tests.
  cacheDir: fileURLToPath(new URL('../../../../node_modules/.vite', import.meta.url)),
  test: {
    root: fileURLToPath(new URL('.', import.meta.url)),
    include: ['**/*.test.ts'],
    maxWorkers: 2,
  },
});
