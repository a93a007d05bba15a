// Collaboration benchmark: one flow, SUBSCRIBERS subscribers of `flowEvents(flowId)` through
// the router, WRITERS writers sending `applyFlowOps` (BATCH MOVE_NODE ops each) through
// the router; in the same run, the same writes relayed by a bare y-websocket server between
// Yjs documents, as the baseline.
//
//   npm run bench:collab
//
// Latency of a write: from sending it to the moment the last subscriber has it (on the
// router: the mutation went through auth, rate limits, the flows subgraph's validation
// and its durable log insert before the ack, then the event's fan-out). Writers run at
// fixed concurrency, closed loop: each sends its next write when its previous one has
// been acknowledged (router) and observed by every subscriber (both paths). Each path
// runs twice: unpaced (the most it merges), then paced at half the router's most (latency
// under the same load for both). A warm-up precedes each measured window.
//
// The stack is self-contained (embedded MongoDB-compatible engine and Chroma); events go
// through Redis if REDIS_URL is set, else in process. The router's rate limits are raised
// to 100,000,000 a minute (counted, never hit): at the default 600 a minute per address
// this load would be refused. BENCH_VERBOSE=1 shows the services' output.
// Progress goes to stderr; the Markdown report goes to stdout. Exits non-zero if any write
// failed or was not delivered.
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startStack, type RunningStack } from '../stack/stack.js';
import { loadNow, log, withCleanUp } from './harness.js';
import { percentile, runPhase, waitUntilSubscribed, type CollabPath, type PhaseResult } from './collab/driver.js';
import { measureUsage, type Usage, type Watched } from './collab/processStats.js';
import { startRouterPath } from './collab/routerPath.js';
import { startBaseline } from './collab/yjsBaseline.js';

const integer = (name: string, fallback: number): number => {
  const raw = process.env[name];
  const value = raw === undefined ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a whole number, got ${raw}`);
  return value;
};

const SUBSCRIBERS = integer('SUBSCRIBERS', 50);
const WRITERS = integer('WRITERS', 4);
const BATCH = integer('BATCH', 10);
const WARMUP_SECONDS = integer('WARMUP_SECONDS', 5);
const MEASURE_SECONDS = integer('MEASURE_SECONDS', 20);
const WITH_AUTHOR = process.env['WITH_AUTHOR'] === '1';
const TARGET_RATIO = 1.5;
const TARGET_OPS = 2000;
const HIGH_LIMIT = '100000000';

// Always the embedded engine and Chroma, whatever the caller's environment points at.
const { MONGODB_URI: _mongo, CHROMA_URL: _chroma, ...baseEnv } = process.env;
const redisUrl = baseEnv['REDIS_URL'];

interface Measured {
  /** Row label. */
  path: string;
  result: PhaseResult;
  usage: Usage[];
  load: string;
}

async function measure(path: CollabPath, watched: Watched[], writesPerSecond?: number): Promise<Measured> {
  const label = writesPerSecond ? pacedLabel(path.name, writesPerSecond) : path.name;
  log(`${label}: ${WARMUP_SECONDS} s warm-up, then ${MEASURE_SECONDS} s measured`);
  const usage = await measureUsage(watched);
  const result = await runPhase(path, {
    writers: WRITERS,
    warmupMs: WARMUP_SECONDS * 1000,
    measureMs: MEASURE_SECONDS * 1000,
    deliveryTimeoutMs: 30_000,
    ...(writesPerSecond ? { writesPerSecond } : {}),
  });
  return { path: label, result, usage: await usage(), load: loadNow() };
}

async function live(path: CollabPath): Promise<void> {
  log(`${path.name}: waiting until all ${path.subscribers} subscriptions are live`);
  await waitUntilSubscribed(path);
}

const ms = (value: number): string => (Number.isNaN(value) ? 'n/a' : value.toFixed(1));

function report(measured: Measured[], pacedRate: number, loadAtStart: string, subscriberErrors: number): string[] {
  const stats = (result: PhaseResult) => {
    const sorted = [...result.latencies].sort((a, b) => a - b);
    return {
      p50: percentile(sorted, 50),
      p95: percentile(sorted, 95),
      p99: percentile(sorted, 99),
      max: sorted.at(-1) ?? Number.NaN,
      opsPerSecond: (result.writes * BATCH) / result.seconds,
      writesPerSecond: result.writes / result.seconds,
    };
  };
  const row = (label: string) => {
    const found = measured.find(({ path }) => path === label);
    return found && { ...found, stats: stats(found.result) };
  };
  const routerMax = row('router');
  const baselineMax = row('y-websocket');
  const routerPaced = row(pacedLabel('router', pacedRate));
  const baselinePaced = row(pacedLabel('y-websocket', pacedRate));
  const ratio = (routerPaced?.stats.p99 ?? Number.NaN) / (baselinePaced?.stats.p99 ?? Number.NaN);
  const routerOps = routerMax?.stats.opsPerSecond ?? Number.NaN;
  const acks = [...(routerMax?.result.acks ?? [])].sort((a, b) => a - b);
  const met = (ok: boolean): string => (ok ? 'met' : '**NOT met**');
  const lines = [
    `## Collaboration: one flow, ${SUBSCRIBERS} subscribers, router vs bare y-websocket`,
    '',
    `${WRITERS} writers, ${BATCH} MOVE_NODE ops per write. Unpaced rows: as fast as each writer can go ` +
      `(next write once the previous one is acknowledged and seen by all ${SUBSCRIBERS} subscribers): the most ` +
      `each path merges. Rows "@ N writes/s": both paths paced at the same rate, half the router's most, so ` +
      `latency is compared under the same load rather than at saturation. ${WARMUP_SECONDS} s warm-up + ` +
      `${MEASURE_SECONDS} s measured per row. Router subscribers select \`version clientId ops { kind nodeId }\`` +
      `${WITH_AUTHOR ? ' `author { name }`' : ''}, one user each (flow shared as VIEWER), served by one upstream ` +
      `subscription (fan-out); rate limits raised to ${HIGH_LIMIT}/min; pub/sub ${redisUrl ? 'Redis' : 'in-process'}. ` +
      `Node ${process.version}, ${cpus().length} CPUs (shared by every process below and the clients), ` +
      `load average (1/5/15 min) ${loadAtStart} at start.`,
    '',
    '| path | writes | ops | ops/s | writes/s | p50 ms | p95 ms | p99 ms | max ms | failed | load after |',
    '| :-- | --: | --: | --: | --: | --: | --: | --: | --: | --: | :-- |',
    ...measured.map(({ path, result, load }) => {
      const s = stats(result);
      return (
        `| ${path} | ${result.writes} | ${result.writes * BATCH} | ${s.opsPerSecond.toFixed(0)} | ` +
        `${s.writesPerSecond.toFixed(1)} | ${ms(s.p50)} | ${ms(s.p95)} | ${ms(s.p99)} | ${ms(s.max)} | ` +
        `${result.failures} | ${load} |`
      );
    }),
    '',
    `Same load (${pacedRate.toFixed(1)} writes/s): p99 router / p99 y-websocket = **${ratio.toFixed(2)}** ` +
      `(target ≤ ${TARGET_RATIO}: ${met(ratio <= TARGET_RATIO)}).`,
    `Most merged ops/s: router **${routerOps.toFixed(0)}** (target ≥ ${TARGET_OPS}: ${met(routerOps >= TARGET_OPS)}); ` +
      `y-websocket ${(baselineMax?.stats.opsPerSecond ?? Number.NaN).toFixed(0)} on the same machine.`,
    `Router acknowledgement (send → \`applyFlowOps\` answer, unpaced): p50 ${ms(percentile(acks, 50))} ms, ` +
      `p99 ${ms(percentile(acks, 99))} ms; errors received by router subscribers: ${subscriberErrors}.`,
    '',
    '| process | ' + measured.map(({ path }) => `CPU % (${path})`).join(' | ') + ' | RSS MiB (end) |',
    '| :-- | ' + measured.map(() => '--:').join(' | ') + ' | --: |',
  ];
  const names = [...new Set(measured.flatMap(({ usage }) => usage.map(({ name }) => name)))];
  for (const name of names) {
    const cells = measured.map(({ usage, result }) => {
      const cpu = usage.find((u) => u.name === name)?.cpu;
      return cpu === undefined || Number.isNaN(cpu) ? 'n/a' : ((100 * cpu) / result.seconds).toFixed(0);
    });
    const rss = measured.map(({ usage }) => usage.find((u) => u.name === name)?.rss).findLast((v) => v !== undefined);
    lines.push(`| ${name} | ${cells.join(' | ')} | ${rss === undefined ? 'n/a' : rss.toFixed(0)} |`);
  }
  return lines;
}

const pacedLabel = (path: string, writesPerSecond: number): string =>
  `${path} @ ${writesPerSecond.toFixed(1)} writes/s`;

async function main(): Promise<number> {
  const dir = await mkdtemp(join(tmpdir(), 'ufe-bench-collab-'));
  let stack: RunningStack | undefined;
  const paths: CollabPath[] = [];
  const cleanUp = async (): Promise<void> => {
    await Promise.all(paths.map((path) => path.dispose()));
    await stack?.dispose();
    await rm(dir, { recursive: true, force: true });
  };
  const loadAtStart = loadNow();
  return withCleanUp(cleanUp, async () => {
    log(`starting the stack (embedded services, ${redisUrl ? 'Redis' : 'no Redis'}); load ${loadAtStart}`);
    stack = await startStack({
      env: {
        ...baseEnv,
        LOG_LEVEL: baseEnv['LOG_LEVEL'] ?? 'warn',
        RATE_LIMIT_IP_PER_MINUTE: HIGH_LIMIT,
        RATE_LIMIT_USER_PER_MINUTE: HIGH_LIMIT,
        // Fifty sign-ups from one address.
        SIGNUP_LIMIT_IP_PER_HOUR: '0',
      },
      dataDir: join(dir, 'data'),
      toolsDir: join(process.cwd(), '.tools'),
      routerPort: 0,
      randomPorts: true,
      output: process.env['BENCH_VERBOSE'] === '1' ? process.stderr : 'ignore',
      onCrash: (name) => log(`${name} crashed`),
    });
    const services: Watched[] = stack.processes.map(({ name, child }) => ({ name, pid: child.pid }));
    const self: Watched = { name: 'bench clients (this process)', pid: process.pid };

    log(`router: signing up ${SUBSCRIBERS} subscribers and sharing the flow with them`);
    const router = await startRouterPath({
      routerUrl: stack.routerUrl,
      subscribers: SUBSCRIBERS,
      writers: WRITERS,
      batch: BATCH,
      withAuthor: WITH_AUTHOR,
      outbox: join(stack.serviceEnv['DATA_DIR'] ?? '', 'outbox'),
    });
    paths.push(router);
    await live(router);
    const measured = [await measure(router, [...services, self])];
    // Latency is compared at one rate both paths sustain: half the router's most.
    const pacedRate = Math.max(1, Math.round((5 * (measured[0]?.result.writes ?? 0)) / MEASURE_SECONDS) / 10);
    measured.push(await measure(router, [...services, self], pacedRate));
    const subscriberErrors = router.subscriberErrors();
    await router.dispose();
    paths.splice(0);

    log('y-websocket: starting the server and its clients');
    const baseline = await startBaseline({ subscribers: SUBSCRIBERS, writers: WRITERS, batch: BATCH });
    paths.push(baseline);
    await live(baseline);
    const baselineProcesses = [{ name: 'y-websocket server', pid: baseline.server.child.pid }, self];
    measured.push(await measure(baseline, baselineProcesses));
    measured.push(await measure(baseline, baselineProcesses, pacedRate));

    const lines = report(measured, pacedRate, loadAtStart, subscriberErrors);
    process.stdout.write(`${lines.join('\n')}\n`);
    const failed = measured.reduce((sum, { result }) => sum + result.failures, 0) + subscriberErrors;
    if (failed > 0) {
      log(`${failed} writes failed or were not delivered, or subscriptions ended with errors`);
      return 1;
    }
    return 0;
  });
}

process.exitCode = await main();
