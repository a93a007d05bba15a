import { inject } from 'vitest';
import { freePort, waitForHttp } from '../../stack/net.js';
import { nodeTs, supervise, type Supervised } from '../../stack/processes.js';
import { subgraphUrlVar } from '../../stack/subgraphs.js';

/** Processes a test starts on top of the suite's stack; `stop` stops every one still running. */
export function privateProcesses(env: NodeJS.ProcessEnv) {
  const started = new Set<Supervised>();
  const run = async (name: string, entry: string, extra: Record<string, string>, ready: string) => {
    const [command, args] = nodeTs(entry);
    const proc = supervise(name, command, args, { env: { ...env, ...extra }, output: 'ignore' });
    started.add(proc);
    await waitForHttp(ready, 60_000, name, proc.running);
    return proc;
  };
  const stop = async (): Promise<void> => {
    await Promise.all([...started].map((proc) => proc.stop()));
  };
  return { started, run, stop };
}

/** A router of its own in front of the suite's subgraphs, with `extraEnv` (e.g. a subgraph's URL) on top. */
export async function startPrivateRouter(
  extraEnv: Record<string, string>,
): Promise<{ routerUrl: string; stop: () => Promise<void> }> {
  const { run, stop } = privateProcesses(inject('serviceEnv'));
  try {
    const routerPort = await freePort();
    await run(
      'router',
      'router/src/index.ts',
      { ...extraEnv, PORT: String(routerPort) },
      `http://127.0.0.1:${routerPort}/ready`,
    );
    return { routerUrl: `http://127.0.0.1:${routerPort}/graphql`, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * A router with its own flows-subgraph instance, sharing everything else with the suite's
 * stack: for tests that count what reaches a subgraph, or that need a second instance.
 */
export async function startPrivateFlows(
  flowsEnv: Record<string, string> = {},
): Promise<{ routerUrl: string; flowsUrl: string; stop: () => Promise<void> }> {
  const { run, stop } = privateProcesses(inject('serviceEnv'));
  try {
    const flowsPort = await freePort();
    const flowsUrl = `http://127.0.0.1:${flowsPort}/graphql`;
    await run(
      'flows',
      'subgraphs/flows/src/index.ts',
      { ...flowsEnv, FLOWS_PORT: String(flowsPort) },
      `http://127.0.0.1:${flowsPort}/ready`,
    );
    const routerPort = await freePort();
    await run(
      'router',
      'router/src/index.ts',
      { PORT: String(routerPort), [subgraphUrlVar('flows')]: flowsUrl },
      `http://127.0.0.1:${routerPort}/ready`,
    );
    return { routerUrl: `http://127.0.0.1:${routerPort}/graphql`, flowsUrl, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * A router with its own users-subgraph instance, started with `extraEnv` on top of the
 * suite's environment (sign-in providers are read at start), sharing the database and
 * everything else. `PUBLIC_URL` is this router's, so provider callbacks come back through it.
 */
export async function startPrivateUsers(extraEnv: Record<string, string>): Promise<{
  routerUrl: string;
  /** The router's origin, e.g. `http://127.0.0.1:1234`: `/auth/*` is under it. */
  publicUrl: string;
  stop: () => Promise<void>;
}> {
  const { run, stop } = privateProcesses(inject('serviceEnv'));
  try {
    const [usersPort, routerPort] = [await freePort(), await freePort()];
    const publicUrl = `http://127.0.0.1:${routerPort}`;
    await run(
      'users',
      'subgraphs/users/src/index.ts',
      { ...extraEnv, USERS_PORT: String(usersPort), PUBLIC_URL: publicUrl },
      `http://127.0.0.1:${usersPort}/ready`,
    );
    await run(
      'router',
      'router/src/index.ts',
      { PORT: String(routerPort), [subgraphUrlVar('users')]: `http://127.0.0.1:${usersPort}/graphql` },
      `http://127.0.0.1:${routerPort}/ready`,
    );
    return { routerUrl: `${publicUrl}/graphql`, publicUrl, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

export interface CollabFlowsInstance {
  url: string;
  /** Kills the process at once (SIGKILL, no draining) and starts it again on the same port. */
  crashAndRestart: () => Promise<void>;
}

/**
 * `count` pairs of a router in front of its own flows instance, sharing the database (and
 * Redis, with `REDIS_URL`) with the suite's stack; router rate limits off, for load.
 */
export async function startCollabStack(count: number): Promise<{
  routerUrls: string[];
  flows: CollabFlowsInstance[];
  stop: () => Promise<void>;
}> {
  const { started, run, stop } = privateProcesses({
    ...inject('serviceEnv'),
    RATE_LIMIT_IP_PER_MINUTE: '0',
    RATE_LIMIT_USER_PER_MINUTE: '0',
  });
  try {
    const pairs = await Promise.all(
      Array.from({ length: count }, async () => {
        const flowsPort = await freePort();
        const url = `http://127.0.0.1:${flowsPort}/graphql`;
        const startFlows = () =>
          run(
            'flows',
            'subgraphs/flows/src/index.ts',
            { FLOWS_PORT: String(flowsPort) },
            `http://127.0.0.1:${flowsPort}/ready`,
          );
        let flows = await startFlows();
        const routerPort = await freePort();
        await run(
          'router',
          'router/src/index.ts',
          { PORT: String(routerPort), [subgraphUrlVar('flows')]: url },
          `http://127.0.0.1:${routerPort}/ready`,
        );
        const crashAndRestart = async (): Promise<void> => {
          const exited = new Promise((resolve) => flows.child.once('exit', resolve));
          flows.child.kill('SIGKILL');
          await exited;
          started.delete(flows);
          flows = await startFlows();
        };
        return { routerUrl: `http://127.0.0.1:${routerPort}/graphql`, flows: { url, crashAndRestart } };
      }),
    );
    return { routerUrls: pairs.map((pair) => pair.routerUrl), flows: pairs.map((pair) => pair.flows), stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

export interface PrivateKnowledgeStack {
  routerUrl: string;
  /** Stops the knowledge instance (SIGTERM: it drains and stops its consumer). */
  stopKnowledge: () => Promise<void>;
  /** Starts it again on the same port and database. */
  startKnowledge: () => Promise<void>;
  stop: () => Promise<void>;
}

/**
 * A router in front of its own users and knowledge instances, each on a database of its
 * own (`dbs`), sharing the engine, Chroma and the secret with the suite's stack: the
 * knowledge instance consumes this users instance's account deletions alone, so a test can
 * stop it and start it again.
 */
export async function startPrivateKnowledge(dbs: { users: string; knowledge: string }): Promise<PrivateKnowledgeStack> {
  const { started, run, stop } = privateProcesses({ ...inject('serviceEnv'), ACCOUNT_DELETION_POLL_SECONDS: '1' });
  try {
    const [usersPort, knowledgePort, routerPort] = [await freePort(), await freePort(), await freePort()];
    const usersUrl = `http://127.0.0.1:${usersPort}/graphql`;
    const knowledgeUrl = `http://127.0.0.1:${knowledgePort}/graphql`;
    await run(
      'users',
      'subgraphs/users/src/index.ts',
      { USERS_PORT: String(usersPort), USERS_DB: dbs.users },
      `http://127.0.0.1:${usersPort}/ready`,
    );
    const startKnowledge = () =>
      run(
        'knowledge',
        'subgraphs/knowledge/src/index.ts',
        { KNOWLEDGE_PORT: String(knowledgePort), KNOWLEDGE_DB: dbs.knowledge, [subgraphUrlVar('users')]: usersUrl },
        `http://127.0.0.1:${knowledgePort}/ready`,
      );
    let knowledge: Supervised | undefined = await startKnowledge();
    await run(
      'router',
      'router/src/index.ts',
      { PORT: String(routerPort), [subgraphUrlVar('users')]: usersUrl, [subgraphUrlVar('knowledge')]: knowledgeUrl },
      `http://127.0.0.1:${routerPort}/ready`,
    );
    return {
      routerUrl: `http://127.0.0.1:${routerPort}/graphql`,
      stopKnowledge: async () => {
        if (!knowledge) return;
        await knowledge.stop();
        started.delete(knowledge);
        knowledge = undefined;
      },
      startKnowledge: async () => {
        knowledge ??= await startKnowledge();
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
