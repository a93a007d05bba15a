// Hive Gateway as shipped, for bench:gateways: installed on first use into .bench-tools
// (not a dependency: it adds ~450 MB), configured only to forward the identity the bench
// signed for each subgraph.
import { spawn } from 'node:child_process';
import { access, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { log } from '../harness.js';
import { benchIdentityHeader } from './assertions.js';

export const HIVE_GATEWAY_VERSION = '2.15.1';
const TOOLS_DIR = '.bench-tools';

/** The `hive-gateway` CLI, installed with npm on first use. */
export async function ensureHiveGateway(): Promise<string> {
  const bin = join(process.cwd(), TOOLS_DIR, 'node_modules', '.bin', 'hive-gateway');
  try {
    await access(bin);
    return bin;
  } catch {
    log(`installing @graphql-hive/gateway@${HIVE_GATEWAY_VERSION} into ${TOOLS_DIR} (first use only)`);
  }
  const npm = spawn(
    'npm',
    [
      'install',
      '--prefix',
      TOOLS_DIR,
      `@graphql-hive/gateway@${HIVE_GATEWAY_VERSION}`,
      '--no-save',
      '--no-audit',
      '--no-fund',
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const code = await new Promise<number | null>((resolve) => npm.once('exit', resolve));
  if (code !== 0) throw new Error(`npm install of @graphql-hive/gateway@${HIVE_GATEWAY_VERSION} failed (exit ${code})`);
  return bin;
}

/**
 * A `gateway.mjs` (its path returned) whose only setting forwards the bench's pre-signed assertion for
 * each subgraph (`x-bench-identity-<subgraph>`) as that subgraph's `x-ufe-identity`.
 */
export async function writeHiveConfig(dir: string): Promise<string> {
  const path = join(dir, 'gateway.mjs');
  const header = benchIdentityHeader('');
  await writeFile(
    path,
    `export const gatewayConfig = {
  propagateHeaders: {
    fromClientToSubgraphs: ({ request, subgraphName }) => {
      const assertion = request.headers.get(${JSON.stringify(header)} + subgraphName.toLowerCase());
      return assertion ? { 'x-ufe-identity': assertion } : {};
    },
  },
};
`,
  );
  return path;
}
