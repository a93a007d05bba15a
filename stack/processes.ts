import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';

export interface Supervised {
  name: string;
  child: ChildProcess;
  /** True until the process exits. */
  running: () => boolean;
  /** The stop signal, then SIGKILL after `graceMs`. */
  stop: (graceMs?: number) => Promise<void>;
}

export interface SpawnOptions {
  env: NodeJS.ProcessEnv;
  /** Where its output goes; prefixed with the name. @default process.stdout */
  output?: NodeJS.WritableStream | 'ignore';
  onExit?: (code: number | null, signal: NodeJS.Signals | null) => void;
  /** Which output lines to show. @default every line */
  shows?: (line: string) => boolean;
  /** The signal that asks it to stop. @default SIGTERM */
  stopSignal?: NodeJS.Signals;
  /** Run as this user and group (a server that refuses root). */
  uid?: number;
  gid?: number;
}

/** Starts a process whose output lines are prefixed with its name. */
export function supervise(name: string, command: string, args: string[], options: SpawnOptions): Supervised {
  // Node services get an IPC channel: it closes when this launcher dies, however it dies,
  // and the service then stops itself instead of living on as an orphan.
  const ipc = command === process.execPath;
  const child = spawn(command, args, {
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe', ...(ipc ? ['ipc' as const] : [])],
    ...(options.uid === undefined ? {} : { uid: options.uid, gid: options.gid }),
  });
  let exited = false;
  const output = options.output ?? process.stdout;
  for (const stream of [child.stdout, child.stderr]) {
    if (!stream) continue;
    const lines = createInterface({ input: stream });
    lines.on('line', (line) => {
      if (output !== 'ignore' && (options.shows?.(line) ?? true)) output.write(`${name.padEnd(9)} | ${line}\n`);
    });
  }
  child.once('exit', (code, signal) => {
    exited = true;
    options.onExit?.(code, signal);
  });
  return {
    name,
    child,
    running: () => !exited,
    stop: async (graceMs = 5_000) => {
      if (exited) return;
      const done = once(child, 'exit');
      child.kill(options.stopSignal ?? 'SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await done;
      clearTimeout(timer);
    },
  };
}

/** A TypeScript entry point run by Node with tsx. */
export const nodeTs = (entry: string): [string, string[]] => [process.execPath, ['--import', 'tsx', entry]];
