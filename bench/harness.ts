// What every benchmark's entry point does around its measurements.
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';

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
