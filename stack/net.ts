import { createServer, connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { StackError } from './log.js';

/**
 * Ports handed out below Linux's ephemeral range (32768–60999). A port the OS picks for
 * `listen(0)` comes from that range, and so does the local port of every outgoing
 * connection: between choosing such a port and the service binding it, a busy test run's
 * own connections can take it. Below the range, only another listener can.
 */
const RANGE = { from: 20_000, to: 32_000 } as const;

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A port nothing listens on right now, picked at random so concurrent callers rarely collide. */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const port = RANGE.from + Math.floor(Math.random() * (RANGE.to - RANGE.from));
    if (await canListen(port)) return port;
  }
  throw new StackError(`no free port between ${RANGE.from} and ${RANGE.to}`);
}

/** Fails with an actionable message when `port` is taken. */
export function assertPortFree(port: number, variable: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', () =>
      reject(
        new StackError(`port ${port} is already in use; stop the program using it or set ${variable} to another port`),
      ),
    );
    server.listen(port, '127.0.0.1', () => server.close(() => resolve()));
  });
}

export async function waitForTcp(port: number, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await sleep(100);
  }
  throw new StackError(`${what} did not open port ${port} within ${timeoutMs / 1000}s`);
}

export async function waitForHttp(
  url: string,
  timeoutMs: number,
  what: string,
  isUp: () => boolean = () => true,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isUp()) throw new StackError(`${what} exited during start-up (its output is above)`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(1_000) });
      if (response.ok) return;
    } catch {
      // not up yet
    }
    await sleep(100);
  }
  throw new StackError(`${what} did not answer ${url} within ${timeoutMs / 1000}s`);
}
