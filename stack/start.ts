// `npm start`: the whole stack in the foreground; Ctrl-C stops everything it started.
import { say, StackError } from './log.js';
import { defaultDirs, startStack, type RunningStack } from './stack.js';

const started = Date.now();
let stopping: Promise<never> | undefined;

/** Settles with the running stack, or with nothing when start-up failed (and cleaned up). */
const starting: Promise<RunningStack | undefined> = startStack({
  env: process.env,
  ...defaultDirs(process.env),
  routerPort: Number(process.env['PORT'] ?? 4000),
  onCrash: (name) => {
    if (stopping) return;
    say(`${name} exited unexpectedly; stopping the stack`);
    void stop(1);
  },
}).catch((error: unknown) => {
  process.stderr.write(`\nCannot start: ${error instanceof StackError ? error.message : String(error)}\n`);
  return undefined;
});

/**
 * Stops everything once, however many signals or crashes ask for it. A stop during
 * start-up waits for start-up to finish, so nothing it launched is left behind.
 */
function stop(code: number): Promise<never> {
  stopping ??= (async () => {
    say('stopping…');
    await (await starting)?.dispose();
    say('stopped');
    process.exit(code);
  })();
  return stopping;
}

process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));

const stack = await starting;
if (!stack) await stop(1);
else if (!stopping) {
  say(`ready in ${((Date.now() - started) / 1000).toFixed(1)}s`);
  say(`GraphQL API and playground: ${stack.routerUrl}`);
}
