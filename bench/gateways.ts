// Gateway benchmark: our router (authorization and rate limits ON) against Hive Gateway as
// shipped and a bare `@apollo/gateway`, on the same supergraph and the same running
// subgraphs, in one run.
//
//   npm run bench:gateways
//
// One stack (embedded engine and Chroma, no Redis: the router's rate limits count in its
// process, set far above the load so none is refused). Hive Gateway is installed into
// .bench-tools on first use. Hive and the bare gateway cannot sign the identity assertion
// the subgraphs require: the bench signs one per subgraph for each user, sends them as
// request headers, and both forward them unchanged; our router ignores those headers and
// verifies the access token as always. Each query runs with every client the same user
// (ours shares identical calls in flight) and with each request the next of 10 users (ours
// never shares across users). The answers of all three are checked to be equal for every
// user before any load. Rounds run ABCCBA per row, so drift falls on all alike.
// BENCH_CPU_PROF_DIR=<dir> writes a CPU profile of our router there.
// Progress goes to stderr; the Markdown report to stdout. Exits non-zero if any request failed.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import autocannon from 'autocannon';
import { FLOWS_PAGE_QUERY } from '#internal/testkit';
import { splitSecurityDirectives } from '../router/src/auth/securityDirectives.js';
import { freePort } from '../stack/net.js';
import { nodeTs, supervise, type Supervised } from '../stack/processes.js';
import type { RunningStack } from '../stack/stack.js';
import { seedCallers, type Caller } from './gateways/callers.js';
import { ensureHiveGateway, HIVE_GATEWAY_VERSION, writeHiveConfig } from './gateways/hiveGateway.js';
import { failures, loadNow, log, startBenchStack, withCleanUp } from './harness.js';
import { cpuSeconds } from './proc.js';

type GatewayName = 'ours' | 'hive' | 'bare';
const GATEWAYS: readonly GatewayName[] = ['ours', 'hive', 'bare'];
const LABEL: Record<GatewayName, string> = {
  ours: 'ours (router)',
  hive: `Hive Gateway ${HIVE_GATEWAY_VERSION}`,
  bare: 'bare @apollo/gateway',
};

const CONNECTIONS = 20;
const WARMUP_SECONDS = 3;
const MEASURE_SECONDS = 5;
// ABCCBA: each gateway gets an early and a late slot, so linear drift cancels out.
const ORDER: readonly GatewayName[] = ['ours', 'hive', 'bare', 'bare', 'hive', 'ours'];
const HIGH_LIMIT = '100000000';
/** Where our router writes a V8 CPU profile of the whole run (`--cpu-prof`), when set. */
const PROFILE_DIR = process.env['BENCH_CPU_PROF_DIR'];
const PAGE = 20;
/** Users of the second half of the rows, each request the next one's. */
const CALLERS = 10;

interface Gateway {
  name: GatewayName;
  url: string;
  proc: Supervised;
}

interface BenchQuery {
  name: string;
  query: string;
  variables: (caller: Caller) => Record<string, unknown>;
}

interface Round {
  query: string;
  gateway: GatewayName;
  result: autocannon.Result;
  gatewayCpu: number;
  /** Ours only: subgraph calls that joined an identical one in flight, from its /metrics. */
  sharedCalls: number;
  subgraphsCpu: number;
}

// Always the embedded services and no Redis, whatever the caller's environment points at.
const { MONGODB_URI: _mongo, CHROMA_URL: _chroma, REDIS_URL: _redis, ...baseEnv } = process.env;

/** The supergraph with each subgraph's URL where the stack runs it. */
function pointAt(sdl: string, urls: Record<string, string>): string {
  return sdl.replace(/@join__graph\(name: "([^"]+)", url: "[^"]*"\)/g, (whole, name: string) =>
    urls[name] ? `@join__graph(name: "${name}", url: "${urls[name]}")` : whole,
  );
}

/** The router's count of subgraph calls shared in flight, from its /metrics. */
async function sharedCalls(graphqlUrl: string): Promise<number> {
  const text = await (await fetch(graphqlUrl.replace(/\/graphql$/, '/metrics'))).text();
  return [...text.matchAll(/^router_subgraph_shared_calls_total\{[^}]*\} (\d+)/gm)].reduce(
    (sum, match) => sum + Number(match[1]),
    0,
  );
}

/** Polls with a trivial query until the gateway answers it. */
async function waitForGraphQL(url: string, proc: Supervised): Promise<void> {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (!proc.running()) throw new Error(`${proc.name} exited during start-up`);
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"query":"{ __typename }"}',
        signal: AbortSignal.timeout(1_000),
      });
      if (response.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${proc.name} did not answer at ${url}`);
}

const profiled = ([command, args]: [string, string[]]): [string, string[]] =>
  PROFILE_DIR ? [command, ['--cpu-prof', '--cpu-prof-dir', PROFILE_DIR, ...args]] : [command, args];

async function startGateways(stack: RunningStack, dir: string, started: Supervised[]): Promise<Gateway[]> {
  const sdl = pointAt(
    await readFile(stack.serviceEnv['SUPERGRAPH_PATH'] ?? 'schema/supergraph.graphql', 'utf8'),
    stack.subgraphUrls,
  );
  const full = join(dir, 'supergraph.graphql');
  // @apollo/gateway refuses the SECURITY features (ours splits them off and enforces them).
  const withoutSecurity = join(dir, 'supergraph-without-security.graphql');
  await Promise.all([writeFile(full, sdl), writeFile(withoutSecurity, splitSecurityDirectives(sdl).gatewaySdl)]);
  const hiveBin = await ensureHiveGateway();
  const hiveConfig = await writeHiveConfig(dir);
  const [oursPort, hivePort, barePort] = [await freePort(), await freePort(), await freePort()];
  const env = { ...stack.serviceEnv, NODE_ENV: 'development', LOG_LEVEL: 'warn' };
  const run = (name: GatewayName, command: string, args: string[], extra: Record<string, string>) => {
    const proc = supervise(name, command, args, { env: { ...env, ...extra }, output: 'ignore' });
    started.push(proc);
    return proc;
  };
  const gateways: Gateway[] = [
    {
      name: 'ours',
      url: `http://127.0.0.1:${oursPort}/graphql`,
      proc: run('ours', ...profiled(nodeTs('router/src/index.ts')), {
        PORT: String(oursPort),
        SUPERGRAPH_PATH: full,
        RATE_LIMIT_IP_PER_MINUTE: HIGH_LIMIT,
        RATE_LIMIT_USER_PER_MINUTE: HIGH_LIMIT,
      }),
    },
    {
      name: 'hive',
      url: `http://127.0.0.1:${hivePort}/graphql`,
      proc: run(
        'hive',
        hiveBin,
        ['supergraph', full, '--config-path', hiveConfig, '--port', String(hivePort), '--host', '127.0.0.1'],
        {},
      ),
    },
    {
      name: 'bare',
      url: `http://127.0.0.1:${barePort}/`,
      proc: run('bare', ...nodeTs('bench/gateways/bareGateway.ts'), {
        BARE_GATEWAY_PORT: String(barePort),
        BARE_GATEWAY_SUPERGRAPH: withoutSecurity,
      }),
    },
  ];
  await Promise.all(gateways.map(({ url, proc }) => waitForGraphQL(url, proc)));
  return gateways;
}

/** One request as sent: a caller's headers and the body of a query with its variables. */
interface WireRequest {
  headers: Record<string, string>;
  body: string;
}

/** Loads `url` with `requests` in turn, one after the other across all connections. */
function load(url: string, requests: readonly WireRequest[], seconds: number): Promise<autocannon.Result> {
  let next = 0;
  return autocannon({
    url,
    method: 'POST',
    connections: CONNECTIONS,
    duration: seconds,
    requests: [
      {
        setupRequest: (request) => {
          const { headers, body } = requests[next++ % requests.length] ?? { headers: {}, body: '' };
          return { ...request, headers: { 'content-type': 'application/json', ...headers }, body };
        },
      },
    ],
    // A GraphQL error comes back with status 200: count any as a mismatch.
    verifyBody: (response) => !String(response).includes('"errors"'),
  });
}

/** The parsed answer of one gateway to one request. */
async function ask(url: string, { headers, body }: WireRequest): Promise<unknown> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  return response.json();
}

async function main(): Promise<number> {
  const dir = await mkdtemp(join(tmpdir(), 'ufe-bench-gateways-'));
  const started: Supervised[] = [];
  let stack: RunningStack | undefined;
  const cleanUp = async (): Promise<void> => {
    await Promise.all(started.map((proc) => proc.stop()));
    await stack?.dispose();
    await rm(dir, { recursive: true, force: true });
  };
  const loadAtStart = loadNow();

  return withCleanUp(cleanUp, async () => {
    log('starting the stack (embedded services, no Redis)');
    stack = await startBenchStack(dir, baseEnv);
    log(`starting the three gateways; signing up ${CALLERS} users, each with a workspace of ${PAGE} flows`);
    const [gateways, callers] = await Promise.all([
      startGateways(stack, dir, started),
      seedCallers(
        stack.routerUrl,
        stack.serviceEnv['JWT_SECRET'] ?? '',
        Object.keys(stack.subgraphUrls),
        CALLERS,
        PAGE,
      ),
    ]);
    const queries: BenchQuery[] = [
      { name: 'plans', query: '{ plans { id name priceCents interval } }', variables: () => ({}) },
      {
        name: 'flows page',
        query: FLOWS_PAGE_QUERY,
        variables: ({ workspaceId }) => ({ workspaceId, first: PAGE }),
      },
      {
        name: 'one flow + owner',
        query: 'query ($id: ID!) { flow(id: $id) { id name version owner { id name } } }',
        variables: ({ flowId }) => ({ id: flowId }),
      },
    ];
    // Every client one user (identical requests in flight: ours shares them), then each
    // request the next of CALLERS users (ours shares almost nothing: never across users).
    const modes = [
      { label: '1 user', callers: callers.slice(0, 1) },
      { label: `${CALLERS} users`, callers },
    ];
    const requestsOf = async (query: BenchQuery, of: readonly Caller[]): Promise<WireRequest[]> =>
      Promise.all(
        of.map(async (caller) => ({
          headers: await caller.headers(),
          body: JSON.stringify({ query: query.query, variables: query.variables(caller) }),
        })),
      );

    for (const query of queries) {
      for (const request of await requestsOf(query, callers)) {
        const answers = await Promise.all(gateways.map(({ url }) => ask(url, request)));
        const [first] = answers;
        const differing = gateways.filter((_, index) => !isDeepStrictEqual(answers[index], first));
        if (differing.length > 0 || JSON.stringify(first).includes('"errors"')) {
          throw new Error(
            `the gateways answer "${query.name}" differently:\n` +
              gateways.map(({ name }, index) => `${name}: ${JSON.stringify(answers[index])}`).join('\n'),
          );
        }
      }
    }
    log(`all three gateways give the same answers, for each of the ${CALLERS} users`);

    const subgraphPids = stack.processes
      .filter(({ name }) => name in stack!.subgraphUrls)
      .map(({ child }) => child.pid);
    const subgraphsCpu = async (): Promise<number> =>
      (await Promise.all(subgraphPids.map((pid) => cpuSeconds(pid)))).reduce((sum, value) => sum + value, 0);
    const rounds: Round[] = [];
    let failed = 0;
    const rows: string[] = [];
    for (const query of queries) {
      for (const mode of modes) {
        const row = `${query.name}, ${mode.label}`;
        rows.push(row);
        for (const gateway of gateways) {
          log(`${row}: warming ${gateway.name} ${WARMUP_SECONDS} s`);
          failed += failures(await load(gateway.url, await requestsOf(query, mode.callers), WARMUP_SECONDS));
        }
        for (const name of ORDER) {
          const gateway = gateways.find((one) => one.name === name);
          if (!gateway) continue;
          log(`${row}: ${name} ${MEASURE_SECONDS} s`);
          const requests = await requestsOf(query, mode.callers);
          const sharedBefore = name === 'ours' ? await sharedCalls(gateway.url) : 0;
          const [gatewayBefore, subgraphsBefore] = [await cpuSeconds(gateway.proc.child.pid), await subgraphsCpu()];
          const result = await load(gateway.url, requests, MEASURE_SECONDS);
          const [gatewayAfter, subgraphsAfter] = [await cpuSeconds(gateway.proc.child.pid), await subgraphsCpu()];
          const shared = name === 'ours' ? (await sharedCalls(gateway.url)) - sharedBefore : 0;
          failed += failures(result);
          rounds.push({
            query: row,
            gateway: name,
            result,
            gatewayCpu: gatewayAfter - gatewayBefore,
            subgraphsCpu: subgraphsAfter - subgraphsBefore,
            sharedCalls: shared,
          });
        }
      }
    }

    const of = (query: string, gateway: GatewayName): Round[] =>
      rounds.filter((round) => round.query === query && round.gateway === gateway);
    const reqPerSecond = (query: string, gateway: GatewayName): number => {
      const picked = of(query, gateway);
      return picked.reduce((sum, round) => sum + round.result.requests.average, 0) / picked.length;
    };
    const cpuMsPerRequest = (query: string, gateway: GatewayName, part: 'gatewayCpu' | 'subgraphsCpu'): string => {
      const picked = of(query, gateway);
      const requests = picked.reduce((sum, round) => sum + round.result.requests.total, 0);
      return ((1000 * picked.reduce((sum, round) => sum + round[part], 0)) / requests).toFixed(2);
    };
    const sharedPerRequest = (row: string): string => {
      const picked = of(row, 'ours');
      const shared = picked.reduce((sum, round) => sum + round.sharedCalls, 0);
      return (shared / picked.reduce((sum, round) => sum + round.result.requests.total, 0)).toFixed(2);
    };
    const lines = [
      '## Gateways on the same supergraph and subgraphs',
      '',
      `${CONNECTIONS} connections; per row each gateway warmed ${WARMUP_SECONDS} s, then rounds of ` +
        `${MEASURE_SECONDS} s in the order ${ORDER.join(', ')}; ours with authorization and rate limits ON ` +
        `(in-process store); "${CALLERS} users": each request is the next user's. ` +
        `Node ${process.version}, ${cpus().length} CPUs, load average ${loadAtStart} at start.`,
      '',
      `| query | ${GATEWAYS.map((name) => `${LABEL[name]} req/s`).join(' | ')} | ours ÷ Hive | ours ÷ bare | ours: calls shared / req |`,
      '| :-- | --: | --: | --: | --: | --: | --: |',
      ...rows.map((row) => {
        const [ours, hive, bare] = GATEWAYS.map((gateway) => reqPerSecond(row, gateway));
        return (
          `| ${row} | ${[ours, hive, bare].map((value) => value?.toFixed(0)).join(' | ')} | ` +
          `${((ours ?? 0) / (hive ?? 1)).toFixed(2)}× | ${((ours ?? 0) / (bare ?? 1)).toFixed(2)}× | ` +
          `${sharedPerRequest(row)} |`
        );
      }),
      '',
      'CPU milliseconds per request (gateway process / all five subgraphs):',
      '',
      `| query | ${GATEWAYS.map((name) => LABEL[name]).join(' | ')} |`,
      '| :-- | --: | --: | --: |',
      ...rows.map(
        (row) =>
          `| ${row} | ${GATEWAYS.map(
            (gateway) =>
              `${cpuMsPerRequest(row, gateway, 'gatewayCpu')} / ${cpuMsPerRequest(row, gateway, 'subgraphsCpu')}`,
          ).join(' | ')} |`,
      ),
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
    if (failed > 0) {
      log(`${failed} requests failed (connection errors, timeouts, non-2xx or GraphQL errors)`);
      return 1;
    }
    return 0;
  });
}

process.exitCode = await main();
