// `npm start`: the whole stack in the foreground; Ctrl-C stops everything it started.
import { say, StackError } from './log.js';
import { defaultDirs, startStack, type RunningStack } from './stack.js';

const started = Date.now();
let stack: RunningStack | undefined;
let stopping: Promise<never> | undefined;

/** Stops everything once, however many signals or crashes ask for it. */
function stop(code: number): Promise<never> {
  stopping ??= (async () => {
    say('stopping…');
    await stack?.dispose();
    say('stopped');
    process.exit(code);
  })();
  return stopping;
}

process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));

try {
  const port = Number(process.env['PORT'] ?? 4000);
  stack = await startStack({
    env: process.env,
    ...defaultDirs(process.env),
    routerPort: port,
    onCrash: (name) => {
      if (stopping) return;
      say(`${name} exited unexpectedly; stopping the stack`);
      void stop(1);
    },
  });
  say(`ready in ${((Date.now() - started) / 1000).toFixed(1)}s`);
  say(`GraphQL API and playground: ${stack.routerUrl}`);
} catch (error) {
  process.stderr.write(`\nCannot start: ${error instanceof StackError ? error.message : String(error)}\n`);
  await stop(1);
}
