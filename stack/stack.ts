import { join } from 'node:path';
import { assertionKey } from '#internal/auth';
import { startChroma } from './chroma.js';
import { jwtSecret, prepareDataDir } from './dataDir.js';
import { startEmbeddedEngine } from './engine.js';
import { recordBackingPids, stopLeftovers } from './leftovers.js';
import { say, StackError } from './log.js';
import { assertPortFree, freePort, waitForHttp } from './net.js';
import { nodeTs, supervise, type Supervised } from './processes.js';
import { subgraphEntry, SUBGRAPHS, subgraphUrlVar } from './subgraphs.js';

export interface StackOptions {
  /** The environment to read settings from (MONGODB_URI, CHROMA_URL, REDIS_URL, …). */
  env: NodeJS.ProcessEnv;
  dataDir: string;
  toolsDir: string;
  /** The router's port; 0 picks a free one. */
  routerPort: number;
  /** Free ports for the subgraphs instead of 4001-4005 (tests, benchmarks). */
  randomPorts?: boolean;
  /** Where service output goes. @default process.stdout */
  output?: NodeJS.WritableStream | 'ignore';
  /** Called when a service dies while the stack runs. */
  onCrash?: (name: string) => void;
}

export interface RunningStack {
  routerUrl: string;
  /** The environment every service got (MONGODB_URI, JWT_SECRET, …). */
  serviceEnv: NodeJS.ProcessEnv;
  subgraphUrls: Record<string, string>;
  processes: Supervised[];
  dispose: () => Promise<void>;
}

/**
 * Starts the whole stack: the embedded backing services for whatever is not
 * configured, the five subgraphs, then the router. On any failure it stops what it
 * started and rethrows.
 */
export async function startStack(options: StackOptions): Promise<RunningStack> {
  const { env } = options;
  const processes: Supervised[] = [];
  const tiers: Supervised[][] = [[], [], [], []]; // storage, backing services, subgraphs, router
  let disposing = false;
  const dispose = async (): Promise<void> => {
    disposing = true;
    // Router first, backing services last; each tier in parallel.
    for (const tier of [...tiers].reverse()) await Promise.all(tier.map((proc) => proc.stop()));
  };
  const watch = (proc: Supervised, tier: 0 | 1 | 2 | 3): Supervised => {
    processes.push(proc);
    tiers[tier]?.push(proc);
    return proc;
  };
  const onExit = (name: string) => () => {
    if (!disposing) options.onCrash?.(name);
  };

  try {
    if (options.routerPort !== 0) await assertPortFree(options.routerPort, 'PORT');
    const dataDir = await prepareDataDir(options.dataDir);
    await stopLeftovers(dataDir);

    // Chroma takes seconds to load; only the knowledge subgraph's readiness waits for it.
    let chromaReady: Promise<void> = Promise.resolve();
    let chromaUrl = env['CHROMA_URL'];
    if (!chromaUrl) {
      const chroma = await startChroma(dataDir, await freePort());
      watch(chroma, 1);
      chromaUrl = chroma.url;
      chromaReady = chroma.ready.then(() => say('embedded Chroma started'));
      // Awaited below; until then a failure elsewhere must not leave this one unhandled.
      chromaReady.catch(() => undefined);
    }
    let mongodbUri = env['MONGODB_URI'];
    if (!mongodbUri) {
      const engine = await startEmbeddedEngine(dataDir, options.toolsDir, options.output ?? process.stdout);
      // PostgreSQL outlives FerretDB: storage is the last tier to stop.
      const [postgres, ferret] = engine.processes;
      if (postgres) watch(postgres, 0);
      if (ferret) watch(ferret, 1);
      mongodbUri = engine.uri;
      say('embedded MongoDB-compatible engine (FerretDB on PostgreSQL) started');
    }
    await recordBackingPids(
      dataDir,
      [...(tiers[0] ?? []), ...(tiers[1] ?? [])].map((proc) => proc.child.pid),
    );
    if (!env['REDIS_URL']) say('REDIS_URL is not set: in-process pub/sub and cache (single instance only)');

    if (env['METRICS_PORT']) say('METRICS_PORT is for one process per host (containers); ignored here');
    const { METRICS_PORT: _metricsPort, ...passed } = env;
    const serviceEnv: NodeJS.ProcessEnv = {
      ...passed,
      DATA_DIR: dataDir,
      MONGODB_URI: mongodbUri,
      CHROMA_URL: chromaUrl,
      JWT_SECRET: env['JWT_SECRET'] ?? (await jwtSecret(dataDir)),
    };
    // Ports first, so the subgraphs and the router can all start at once: the router
    // plans from the supergraph file and needs no subgraph until a request comes.
    const subgraphPorts = await Promise.all(
      SUBGRAPHS.map(async ({ portVar, defaultPort }) => {
        const port = options.randomPorts ? await freePort() : Number(env[portVar] ?? defaultPort);
        if (!options.randomPorts) await assertPortFree(port, portVar);
        return port;
      }),
    );
    const routerPort = options.routerPort === 0 ? await freePort() : options.routerPort;
    const subgraphUrls: Record<string, string> = {};
    const routerEnv: NodeJS.ProcessEnv = { ...serviceEnv, PORT: String(routerPort) };
    const output = options.output ?? process.stdout;
    SUBGRAPHS.forEach(({ name }, index) => {
      subgraphUrls[name] = `http://127.0.0.1:${subgraphPorts[index] ?? 0}/graphql`;
      routerEnv[subgraphUrlVar(name)] = subgraphUrls[name];
    });
    // Other domains ask the users subgraph who belongs to which workspace.
    const subgraphEnv = { ...serviceEnv, [subgraphUrlVar('users')]: subgraphUrls['users'] };
    const starting = SUBGRAPHS.map(({ name, portVar }, index) => {
      const port = subgraphPorts[index] ?? 0;
      const [command, args] = nodeTs(subgraphEntry(name));
      const proc = supervise(name, command, args, {
        env: { ...keysFor(name, subgraphEnv), [portVar]: String(port) },
        output,
        onExit: onExit(name),
      });
      watch(proc, 2);
      return waitForHttp(`http://127.0.0.1:${port}/health`, 60_000, `the ${name} subgraph`, proc.running);
    });
    const [command, args] = nodeTs('router/src/index.ts');
    const router = supervise('router', command, args, { env: routerEnv, output, onExit: onExit('router') });
    watch(router, 3);
    await Promise.all([...starting, chromaReady]);
    const routerUrl = `http://127.0.0.1:${routerPort}/graphql`;
    await waitForHttp(`http://127.0.0.1:${routerPort}/ready`, 60_000, 'the router', router.running);
    return { routerUrl, serviceEnv: routerEnv, subgraphUrls, processes, dispose };
  } catch (error) {
    await dispose();
    throw error instanceof StackError ? error : new StackError((error as Error).message);
  }
}

/**
 * Each subgraph gets only its own assertion key; the secret everything derives from
 * stays with the router and users (which signs user tokens).
 */
function keysFor(name: string, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  if (name === 'users') return env;
  const { JWT_SECRET: secret, ...rest } = env;
  return { ...rest, ASSERTION_KEY: Buffer.from(assertionKey(secret ?? '', name)).toString('base64url') };
}

export const defaultDirs = (env: NodeJS.ProcessEnv): { dataDir: string; toolsDir: string } => ({
  dataDir: env['DATA_DIR'] ?? '.data',
  toolsDir: env['TOOLS_DIR'] ?? join(process.cwd(), '.tools'),
});
