// What every benchmark's entry point does around its measurements.
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type autocannon from 'autocannon';
import { startStack, type RunningStack } from '../stack/stack.js';

const startedAt = performance.now();

/** A progress line on stderr, with the seconds since the benchmark started (stdout is the report). */
export function log(message: string): void {
  process.stderr.write(`bench: [${((performance.now() - startedAt) / 1000).toFixed(1)} s] ${message}\n`);
}

/** The 1, 5 and 15 minute load averages, for the report. */
export const loadNow = (): string =>
  loadavg()
    .map((value) => value.toFixed(1))
    .join(' / ');

/**
 * Runs `run`, then `cleanUp` — also when interrupted (Ctrl-C, SIGTERM: exit 130), so no
 * stack or temporary directory is left behind.
 */
export async function withCleanUp<T>(cleanUp: () => Promise<void>, run: () => Promise<T>): Promise<T> {
  const interrupted = (): void => {
    void cleanUp().finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  try {
    return await run();
  } finally {
    log('stopping');
    await cleanUp();
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
  }
}

/** The whole stack for a benchmark: free ports, data under `dir`, services' output off (warn level). */
export function startBenchStack(dir: string, env: NodeJS.ProcessEnv): Promise<RunningStack> {
  return startStack({
    env: { ...env, LOG_LEVEL: env['LOG_LEVEL'] ?? 'warn' },
    dataDir: join(dir, 'data'),
    toolsDir: join(process.cwd(), '.tools'),
    routerPort: 0,
    randomPorts: true,
    output: 'ignore',
    onCrash: (name) => log(`${name} crashed`),
  });
}

/** Requests of a load that did not get their answer. */
export const failures = (result: autocannon.Result): number =>
  result.errors + result.timeouts + result.non2xx + result.mismatches;
