import { ConfigError } from '#internal/config';

/**
 * The `index.ts` of every service: start it, stop it cleanly on SIGINT/SIGTERM, and on a
 * start-up failure print one clear line and exit non-zero instead of a stack trace.
 */
export function runService(name: string, start: () => Promise<{ dispose: () => Promise<void> }>): void {
  let running: { dispose: () => Promise<void> } | undefined;
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    // A signal during start-up has nothing to drain yet: leave at once.
    if (!running) process.exit(0);
    // A drain that hangs (a backing service already gone, say) must not keep us alive.
    setTimeout(() => process.exit(1), 10_000).unref();
    running.dispose().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  // Listen before starting: a stop requested while starting must not be lost.
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  // Started by the launcher with an IPC channel: its closing means the launcher is gone.
  if (process.send) process.on('disconnect', stop);

  Promise.resolve()
    .then(start)
    .then((started) => {
      running = started;
    })
    .catch((error: unknown) => {
      const message = error instanceof ConfigError ? error.message : `${name} failed to start: ${describe(error)}`;
      process.stderr.write(`${message}\n`);
      process.exit(1);
    });
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') {
      return `${error.message} — another program uses this port; free it or set the port variable`;
    }
    return error.message;
  }
  return String(error);
}
