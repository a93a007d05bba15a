import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startStack } from '../../stack/stack.js';
import type { ProbeTarget } from './target.js';

/**
 * A fresh stack as deployers run it (`NODE_ENV=production`, every default limit on), on
 * free ports with throw-away data: what the probes audit. Redis is used when `REDIS_URL`
 * is set, as in production; the database and Chroma are always the embedded ones.
 */
export async function startAuditStack(
  log: NodeJS.WritableStream | 'ignore' = 'ignore',
): Promise<ProbeTarget & { dispose: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'ufe-audit-'));
  const { MONGODB_URI: _mongo, CHROMA_URL: _chroma, JWT_SECRET: _secret, ...env } = process.env;
  try {
    const stack = await startStack({
      env: { ...env, NODE_ENV: 'production', LOG_LEVEL: 'warn', RATE_LIMIT_KEY_PREFIX: `ufe:audit:${Date.now()}:` },
      dataDir: join(dir, 'data'),
      toolsDir: join(process.cwd(), '.tools'),
      routerPort: 0,
      randomPorts: true,
      output: log,
    });
    return {
      routerUrl: stack.routerUrl,
      subgraphUrls: stack.subgraphUrls,
      serviceEnv: stack.serviceEnv,
      dispose: async () => {
        await stack.dispose();
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}
