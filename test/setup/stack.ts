// Starts the whole stack once for the suite (embedded engine, Chroma, subgraphs on free
// ports, router) with throw-away data, and tells the tests where it is.
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startStack, type RunningStack } from '../../stack/stack.js';

declare module 'vitest' {
  export interface ProvidedContext {
    routerUrl: string;
    serviceEnv: Record<string, string>;
    subgraphUrls: Record<string, string>;
  }
}

let stack: RunningStack | undefined;
let dataDir: string | undefined;

export async function setup(project: TestProject): Promise<void> {
  dataDir = await mkdtemp(join(tmpdir(), 'ufe-test-'));
  const log = createWriteStream(join(dataDir, 'stack.log'));
  stack = await startStack({
    // Own rate-limit keys: another run sharing this Redis must not share our counters.
    env: {
      ...process.env,
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      // Every test file calls from 127.0.0.1: one per-address budget would be shared by the
      // whole suite. The limits themselves are tested on their own routers (ratelimit.e2e).
      RATE_LIMIT_IP_PER_MINUTE: '0',
      // Likewise for sign-ups; their limits are tested on a users instance of their own (users.e2e).
      SIGNUP_LIMIT_IP_PER_HOUR: '0',
      SIGNUP_LIMIT_ADDRESS_PER_HOUR: '0',
      RATE_LIMIT_KEY_PREFIX: `ufe:test:${Date.now()}:`,
    },
    dataDir: join(dataDir, 'data'),
    toolsDir: join(process.cwd(), '.tools'),
    routerPort: 0,
    randomPorts: true,
    output: log,
    onCrash: (name) => process.stderr.write(`test stack: ${name} crashed; see ${join(dataDir ?? '', 'stack.log')}\n`),
  });
  project.provide('routerUrl', stack.routerUrl);
  project.provide('serviceEnv', stack.serviceEnv as Record<string, string>);
  project.provide('subgraphUrls', stack.subgraphUrls);
}

export async function teardown(): Promise<void> {
  await stack?.dispose();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
}
