import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitForHttp } from './net.js';
import { supervise, type Supervised } from './processes.js';

const CHROMA_CLI = fileURLToPath(new URL('../node_modules/.bin/chroma', import.meta.url));

/**
 * The Chroma server shipped in the `chromadb` package (its Rust binding), run directly.
 * Returns at once; `ready` settles when it answers, so other services can start meanwhile.
 */
export async function startChroma(
  dataDir: string,
  port: number,
): Promise<Supervised & { url: string; ready: Promise<void> }> {
  const path = join(dataDir, 'chroma');
  await mkdir(path, { recursive: true });
  const proc = supervise('chroma', CHROMA_CLI, ['run', '--path', path, '--host', '127.0.0.1', '--port', String(port)], {
    env: process.env,
    output: 'ignore',
  });
  const url = `http://127.0.0.1:${port}`;
  const ready = waitForHttp(`${url}/api/v2/heartbeat`, 30_000, 'Chroma', proc.running);
  return { ...proc, url, ready };
}
