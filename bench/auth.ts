// Authorization benchmark: router throughput on a realistic signed-in query with the
// router's field-level rules and rate limits ON, against the same router with both OFF, in
// one run on one stack.
//
//   npm run bench:auth
//
// ON: a router with the composed supergraph (so `@authenticated` on `Query.flows` is
// checked before planning) and both rate limits active but set far above the load
// (100,000,000 a minute: every request is counted, none refused). OFF: a router with both
// limits 0 (disabled) and a supergraph without its SECURITY features. Both verify the JWT:
// `me` needs the caller's identity. Rounds run ON/OFF/OFF/ON so that drift (JIT warm-up,
// caches, thermal) falls on both alike.
//
// The stack is self-contained: embedded MongoDB-compatible engine and Chroma, REDIS_URL
// removed, so the rate limits count in the router process. The embedded engine must
// already be built under .tools (any `npm start` does that). Progress goes to stderr; the
// Markdown report goes to stdout. Exits non-zero if any request failed.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { gql, signUp, type GraphQLResponse } from '#internal/testkit';
import { failures, loadNow, log, startBenchStack, withCleanUp } from './harness.js';
import { cpuSeconds } from './proc.js';
import { splitSecurityDirectives } from '../router/src/auth/securityDirectives.js';
import { freePort, waitForHttp } from '../stack/net.js';
import { nodeTs, supervise, type Supervised } from '../stack/processes.js';
import type { RunningStack } from '../stack/stack.js';

type Mode = 'ON' | 'OFF';

interface Round {
  round: number;
  mode: Mode;
  result: autocannon.Result;
  /** CPU seconds each process used during the measured load, by process name. */
  cpu: Map<string, number>;
}

interface Watched {
  name: string;
  pid: number | undefined;
}

const CONNECTIONS = 10;
/**
 * Both routers share the subgraphs and the engine, which are cold at first: a step change
 * the ABBA order cannot cancel (it fell on the first ON round). Each router is loaded this
 * long, unmeasured, before the rounds.
 */
const STACK_WARMUP_SECONDS = 10;
const WARMUP_SECONDS = 3;
const MEASURE_SECONDS = 10;
// ABBA: each router gets one early and one late slot, so linear drift cancels out.
const ORDER: Mode[] = ['ON', 'OFF', 'OFF', 'ON'];
const HIGH_LIMIT = '100000000';
const NODES = 20;
const TARGET_RATIO = 0.9;

const QUERY = /* GraphQL */ `
  query ($id: ID!) {
    flow(id: $id) {
      id
      name
      version
      owner {
        id
        name
      }
      nodes {
        id
        type
        label
        position {
          x
          y
        }
      }
      edges {
        id
        source
        target
      }
    }
    me {
      id
      name
    }
    flows(first: 10) {
      edges {
        node {
          id
          name
        }
      }
    }
  }
`;

// Always the embedded services and no Redis, whatever the caller's environment points at.
const { MONGODB_URI: _mongo, CHROMA_URL: _chroma, REDIS_URL: _redis, ...baseEnv } = process.env;
async function cpuSnapshot(watched: readonly Watched[]): Promise<Map<string, number>> {
  const values = await Promise.all(watched.map(({ pid }) => cpuSeconds(pid)));
  return new Map(watched.map(({ name }, index) => [name, values[index] ?? Number.NaN]));
}

/** `count` nodes (start, screens and decisions, end) with edges along the path and from each decision. */
function flowOps(count: number): Record<string, unknown>[] {
  const type = (index: number): string =>
    index === 0 ? 'start' : index === count - 1 ? 'end' : index % 4 === 0 ? 'decision' : 'screen';
  const ops: Record<string, unknown>[] = [];
  for (let index = 0; index < count; index += 1) {
    ops.push({
      kind: 'ADD_NODE',
      node: {
        id: `n${index}`,
        type: type(index),
        label: `${type(index)} ${index}`,
        position: { x: 220 * (index % 5), y: 140 * Math.floor(index / 5) },
      },
    });
  }
  for (let index = 0; index < count - 1; index += 1) {
    ops.push({ kind: 'ADD_EDGE', edge: { id: `e${index}`, source: `n${index}`, target: `n${index + 1}` } });
    // A decision's second branch skips ahead.
    if (type(index) === 'decision' && index + 3 < count) {
      ops.push({ kind: 'ADD_EDGE', edge: { id: `b${index}`, source: `n${index}`, target: `n${index + 3}` } });
    }
  }
  return ops;
}

/** A router process sharing the stack's subgraphs, with `extra` on top of the stack's environment. */
async function startRouter(
  stack: RunningStack,
  name: string,
  extra: Record<string, string>,
  started: Supervised[],
): Promise<Watched & { url: string }> {
  const port = await freePort();
  const [command, args] = nodeTs('router/src/index.ts');
  const proc = supervise(name, command, args, {
    env: { ...stack.serviceEnv, PORT: String(port), ...extra },
    output: 'ignore',
  });
  started.push(proc);
  await waitForHttp(`http://127.0.0.1:${port}/ready`, 60_000, name, proc.running);
  return { name, pid: proc.child.pid, url: `http://127.0.0.1:${port}/graphql` };
}

function load(url: string, token: string, body: string, seconds: number): Promise<autocannon.Result> {
  return autocannon({
    url,
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body,
    connections: CONNECTIONS,
    duration: seconds,
    // A GraphQL error comes back with status 200: count any as a mismatch.
    verifyBody: (response) => !String(response).includes('"errors"'),
  });
}

async function main(): Promise<number> {
  const dir = await mkdtemp(join(tmpdir(), 'ufe-bench-auth-'));
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

    const supergraphPath = join(dir, 'supergraph-without-security.graphql');
    const sdl = await readFile(stack.serviceEnv['SUPERGRAPH_PATH'] ?? 'schema/supergraph.graphql', 'utf8');
    const { gatewaySdl, rules } = splitSecurityDirectives(sdl);
    if (!rules.fields.has('Query.flows')) throw new Error('the supergraph no longer marks Query.flows @authenticated');
    await writeFile(supergraphPath, gatewaySdl);

    log('starting the ON and OFF routers; signing up and creating the flow');
    const [[on, off], user] = await Promise.all([
      Promise.all([
        startRouter(
          stack,
          'router-on',
          { RATE_LIMIT_IP_PER_MINUTE: HIGH_LIMIT, RATE_LIMIT_USER_PER_MINUTE: HIGH_LIMIT },
          started,
        ),
        startRouter(
          stack,
          'router-off',
          { RATE_LIMIT_IP_PER_MINUTE: '0', RATE_LIMIT_USER_PER_MINUTE: '0', SUPERGRAPH_PATH: supergraphPath },
          started,
        ),
      ]),
      signUp(stack.routerUrl, 'Bench User'),
    ]);
    const routers: Record<Mode, string> = { ON: on.url, OFF: off.url };
    const routerName: Record<Mode, string> = { ON: on.name, OFF: off.name };

    const created = await gql<{ createFlow: { id: string } }>(
      stack.routerUrl,
      /* GraphQL */ `
        mutation ($input: CreateFlowInput!) {
          createFlow(input: $input) {
            id
          }
        }
      `,
      { input: { name: 'Checkout', description: 'Benchmark flow' } },
      user.token,
    );
    const flowId = created.data?.createFlow.id;
    if (!flowId) throw new Error(`createFlow failed: ${JSON.stringify(created.errors)}`);
    const ops = flowOps(NODES);
    const applied = await gql<{ applyFlowOps: { version: number } }>(
      stack.routerUrl,
      /* GraphQL */ `
        mutation ($flowId: ID!, $ops: [FlowOpInput!]!) {
          applyFlowOps(flowId: $flowId, ops: $ops) {
            version
          }
        }
      `,
      { flowId, ops },
      user.token,
    );
    if (!applied.data?.applyFlowOps) throw new Error(`applyFlowOps failed: ${JSON.stringify(applied.errors)}`);

    // Both routers answer the query alike; anonymously, only ON takes `flows` out itself
    // (its own "Sign in to access: flows." error; OFF passes it on to the flows subgraph).
    type Data = { flow: { nodes: unknown[]; edges: unknown[] } | null };
    const [onAnswer, offAnswer] = await Promise.all([
      gql<Data>(routers.ON, QUERY, { id: flowId }, user.token),
      gql<Data>(routers.OFF, QUERY, { id: flowId }, user.token),
    ]);
    if (onAnswer.errors || !onAnswer.data?.flow || JSON.stringify(onAnswer) !== JSON.stringify(offAnswer)) {
      throw new Error(`the routers answer differently: ${JSON.stringify(onAnswer)} / ${JSON.stringify(offAnswer)}`);
    }
    const { nodes, edges } = onAnswer.data.flow;
    const [onAnonymous, offAnonymous] = await Promise.all([
      gql(routers.ON, QUERY, { id: flowId }),
      gql(routers.OFF, QUERY, { id: flowId }),
    ]);
    const refusedByRouter = (answer: GraphQLResponse): boolean =>
      answer.errors?.some(
        (error) => error.extensions?.code === 'UNAUTHENTICATED' && error.message.startsWith('Sign in to access: flows'),
      ) ?? false;
    if (!refusedByRouter(onAnonymous) || refusedByRouter(offAnonymous)) {
      throw new Error('only the ON router should refuse `flows` at the router for an anonymous caller');
    }

    const body = JSON.stringify({ query: QUERY, variables: { id: flowId } });
    const watched: Watched[] = [
      { name: on.name, pid: on.pid },
      { name: off.name, pid: off.pid },
      ...stack.processes.map(({ name, child }) => ({ name, pid: child.pid })),
      { name: 'autocannon (this process)', pid: process.pid },
    ];
    const rounds: Round[] = [];
    let warmupFailures = 0;
    const counts: Record<Mode, number> = { ON: 0, OFF: 0 };
    for (const mode of ['OFF', 'ON'] as const) {
      log(`warming the stack through ${mode}: ${STACK_WARMUP_SECONDS} s`);
      warmupFailures += failures(await load(routers[mode], user.token, body, STACK_WARMUP_SECONDS));
    }
    for (const mode of ORDER) {
      counts[mode] += 1;
      const round = counts[mode];
      log(`${mode} round ${round}: warm-up ${WARMUP_SECONDS} s, then ${MEASURE_SECONDS} s measured`);
      const warmup = await load(routers[mode], user.token, body, WARMUP_SECONDS);
      warmupFailures += failures(warmup);
      if (failures(warmup) > 0) log(`${mode} warm-up: ${failures(warmup)} failed requests`);
      const before = await cpuSnapshot(watched);
      const result = await load(routers[mode], user.token, body, MEASURE_SECONDS);
      const after = await cpuSnapshot(watched);
      const cpu = new Map([...after].map(([name, value]) => [name, value - (before.get(name) ?? Number.NaN)]));
      rounds.push({ round, mode, result, cpu });
    }

    const ofMode = (mode: Mode): Round[] => rounds.filter((r) => r.mode === mode);
    const average = (values: number[]): number => values.reduce((sum, value) => sum + value, 0) / values.length;
    const reqPerSecond = (mode: Mode): number => average(ofMode(mode).map((r) => r.result.requests.average));
    /** CPU milliseconds per request of `names` (all but the load generator when omitted), over the mode's rounds. */
    const cpuPerRequest = (mode: Mode, names?: string[]): number => {
      const picked = (name: string): boolean => (names ? names.includes(name) : name !== watched.at(-1)?.name);
      const seconds = ofMode(mode).reduce(
        (sum, r) => sum + [...r.cpu].reduce((total, [name, value]) => total + (picked(name) ? value : 0), 0),
        0,
      );
      return (1000 * seconds) / ofMode(mode).reduce((sum, r) => sum + r.result.requests.total, 0);
    };
    const routerCpu = (r: Round): number =>
      (1000 * (r.cpu.get(routerName[r.mode]) ?? Number.NaN)) / r.result.requests.total;
    const ratio = reqPerSecond('ON') / reqPerSecond('OFF');
    const routerOn = cpuPerRequest('ON', [on.name]);
    const routerOff = cpuPerRequest('OFF', [off.name]);
    const failed = warmupFailures + rounds.reduce((sum, { result }) => sum + failures(result), 0);
    const ms = (value: number): string => value.toFixed(2);
    const percent = (mode: Mode, name: string): string =>
      ((100 * average(ofMode(mode).map((r) => r.cpu.get(name) ?? Number.NaN))) / MEASURE_SECONDS).toFixed(0);
    const lines = [
      `## Router throughput, auth + rate limits ON vs OFF`,
      '',
      `Query: \`flow\` (${nodes.length} nodes, ${edges.length} edges, owner from users) + \`me\` + \`flows(first: 10)\` ` +
        `(\`@authenticated\`), signed in; ${CONNECTIONS} connections; the stack warmed ${STACK_WARMUP_SECONDS} s ` +
        `through each router, then ${WARMUP_SECONDS} s warm-up + ` +
        `${MEASURE_SECONDS} s measured per round; rate-limit store: in-process (REDIS_URL unset); ` +
        `Node ${process.version}, ${cpus().length} CPUs, load average ${loadAtStart} at start.`,
      '',
      '| round | router | req/s | p50 (ms) | p99 (ms) | requests | errors | non-2xx | GraphQL errors | router CPU (ms/req) | all services CPU (ms/req) |',
      '| --: | :-- | --: | --: | --: | --: | --: | --: | --: | --: | --: |',
      ...rounds.map((r) => {
        const { result } = r;
        const services = [...r.cpu].reduce(
          (sum, [name, value]) => sum + (name === watched.at(-1)?.name ? 0 : value),
          0,
        );
        return (
          `| ${r.round} | ${r.mode} | ${result.requests.average.toFixed(1)} | ${result.latency.p50} | ` +
          `${result.latency.p99} | ${result.requests.total} | ${result.errors + result.timeouts} | ` +
          `${result.non2xx} | ${result.mismatches} | ${ms(routerCpu(r))} | ${ms((1000 * services) / result.requests.total)} |`
        );
      }),
      '',
      `Mean req/s: ON **${reqPerSecond('ON').toFixed(1)}**, OFF **${reqPerSecond('OFF').toFixed(1)}**; ` +
        `ratio ON/OFF **${ratio.toFixed(3)}** (target ≥ ${TARGET_RATIO}: ${ratio >= TARGET_RATIO ? 'met' : 'NOT met'}).`,
      `Router CPU per request: ON ${ms(routerOn)} ms, OFF ${ms(routerOff)} ms ` +
        `(auth + rate limits cost ${ms(routerOn - routerOff)} ms a request); all services: ` +
        `ON ${ms(cpuPerRequest('ON'))} ms, OFF ${ms(cpuPerRequest('OFF'))} ms.`,
      '',
      '| process | CPU % during ON rounds | CPU % during OFF rounds |',
      '| :-- | --: | --: |',
      ...watched.map(({ name }) => `| ${name} | ${percent('ON', name)} | ${percent('OFF', name)} |`),
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
