// Read latency as the data grows: the flows page of a workspace and one flow with its
// owner, through the router, with 1,000 / 10,000 / 100,000 flows over 500 workspaces in
// one database that grows between the measurements.
//
//   npm run bench:scale
//   BENCH_SCALE_SIZES=1000,10000 npm run bench:scale   (quicker; multiples of 500)
//
// The caller signs up through the router and makes their workspace and one flow there (so
// the account, membership and flow document are real); everything else — 999 more users,
// 499 workspaces with their memberships, the flows and their listing copies — is inserted
// straight into the embedded engine, shaped like the API's own records (checked key for
// key). Each query is checked (a 200, no `errors`, a full page of edges: the measured
// workspace holds at least 21 flows) before it is measured. Progress goes to stderr, the
// Markdown report to stdout; exits non-zero if any request failed.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import mongoose from 'mongoose';
import { signUp } from '#internal/testkit';
import type { RunningStack } from '../stack/stack.js';
import { loadNow, log, startBenchStack, withCleanUp } from './harness.js';
import { listingText } from './scale/content.js';
import { explainPage, pageFindP50 } from './scale/engine.js';
import { checkAnswer, measure, type Load, type Measured } from './scale/load.js';
import {
  FLOWS_PAGE,
  flowProblem,
  ONE_FLOW,
  PAGE_SIZE,
  pageProblem,
  type FlowsPageData,
  type OneFlowData,
} from './scale/queries.js';
import { scaleReport, type SizeRow } from './scale/report.js';
import { ScaleSeeder, WORKSPACES } from './scale/seed.js';
import { createCallerWorld } from './scale/world.js';

const CONNECTIONS = 10;
const WARMUP_SECONDS = 3;
const MEASURE_SECONDS = 10;
/** Both queries are loaded this long, unmeasured, before the first size: the stack starts cold. */
const STACK_WARMUP_SECONDS = 5;
const ALONE_REQUESTS = 200;
const TARGET_RATIO = 2;
const HIGH_LIMIT = '100000000';

function sizesFrom(text: string | undefined): number[] {
  const sizes = (text ?? '1000,10000,100000').split(',').map((part) => Number(part.trim()));
  const fine = sizes.every(
    (size, index) =>
      Number.isInteger(size) && size % WORKSPACES === 0 && size > (index === 0 ? 0 : (sizes[index - 1] ?? 0)),
  );
  if (!fine) throw new Error(`BENCH_SCALE_SIZES must be growing multiples of ${WORKSPACES}, e.g. 1000,10000`);
  return sizes;
}

// Always the embedded services and no Redis, whatever the caller's environment points at.
const { MONGODB_URI: _mongo, CHROMA_URL: _chroma, REDIS_URL: _redis, ...baseEnv } = process.env;

async function main(): Promise<number> {
  const sizes = sizesFrom(process.env['BENCH_SCALE_SIZES']);
  const dir = await mkdtemp(join(tmpdir(), 'ufe-bench-scale-'));
  let stack: RunningStack | undefined;
  let client: mongoose.mongo.MongoClient | undefined;
  const cleanUp = async (): Promise<void> => {
    await client?.close();
    await stack?.dispose();
    await rm(dir, { recursive: true, force: true });
  };
  const loadAtStart = loadNow();
  const startedAt = performance.now();

  return withCleanUp(cleanUp, async () => {
    log(`starting the stack (embedded services, no Redis); sizes ${sizes.join(', ')}`);
    stack = await startBenchStack(dir, {
      ...baseEnv,
      RATE_LIMIT_IP_PER_MINUTE: HIGH_LIMIT,
      RATE_LIMIT_USER_PER_MINUTE: HIGH_LIMIT,
    });
    const url = stack.routerUrl;

    log('signing up the caller; their workspace and one flow through the API');
    const caller = await signUp(url, 'Scale Caller');
    const { workspaceId, flowId } = await createCallerWorld(url, caller.token);
    client = await new mongoose.mongo.MongoClient(stack.serviceEnv['MONGODB_URI'] ?? '').connect();
    const usersDb = client.db(stack.serviceEnv['USERS_DB'] ?? 'ufe_users');
    const flowsDb = client.db(stack.serviceEnv['FLOWS_DB'] ?? 'ufe_flows');
    const seeder = new ScaleSeeder({ usersDb, flowsDb, callerId: caller.id, workspaceId, flowId });
    await seeder.prepare();

    const page: Load = { url, token: caller.token, query: FLOWS_PAGE, variables: { workspaceId } };
    const one: Load = { url, token: caller.token, query: ONE_FLOW, variables: { id: flowId } };
    const rows: SizeRow[] = [];
    const seedSeconds = new Map<number, number>();
    let failed = 0;
    const measured = async (name: string, load: Load): Promise<[Measured, number]> => {
      log(`${name}: warm-up ${WARMUP_SECONDS} s, ${MEASURE_SECONDS} s measured, ${ALONE_REQUESTS} alone`);
      const warmup = await measure(load, { connections: CONNECTIONS, seconds: WARMUP_SECONDS });
      const result = await measure(load, { connections: CONNECTIONS, seconds: MEASURE_SECONDS });
      const alone = await measure(load, { connections: 1, amount: ALONE_REQUESTS });
      failed += warmup.failed + result.failed + alone.failed;
      return [result, alone.p50];
    };

    for (const [index, size] of sizes.entries()) {
      log(`growing to ${size.toLocaleString('en-US')} flows`);
      const seedStart = performance.now();
      await seeder.growTo(size, (inserted) => {
        if (inserted % 10_000 === 0) log(`  ${inserted.toLocaleString('en-US')} flows in`);
      });
      seedSeconds.set(size, (performance.now() - seedStart) / 1000);

      await checkAnswer<FlowsPageData>(page, pageProblem(caller.id, workspaceId, PAGE_SIZE, true));
      await checkAnswer<OneFlowData>(one, flowProblem(flowId, caller.id));
      if (index === 0) {
        log(`warming the stack: ${STACK_WARMUP_SECONDS} s on each query`);
        for (const load of [page, one]) {
          failed += (await measure(load, { connections: CONNECTIONS, seconds: STACK_WARMUP_SECONDS })).failed;
        }
      }
      const memberOf = seeder.callerWorkspaces;
      log(`the engine on the page query: ${await explainPage(flowsDb, caller.id, memberOf, workspaceId)}`);
      const [pageResult, pageAlone] = await measured('flows page', page);
      const engineP50 = await pageFindP50(flowsDb, caller.id, memberOf, workspaceId);
      const [flowResult, flowAlone] = await measured('one flow', one);
      rows.push({
        size,
        edges: PAGE_SIZE,
        page: pageResult,
        pageAlone,
        engineP50,
        flow: flowResult,
        flowAlone,
        load: loadNow(),
      });
    }

    process.stdout.write(
      scaleReport(rows, {
        connections: CONNECTIONS,
        warmupSeconds: WARMUP_SECONDS,
        measureSeconds: MEASURE_SECONDS,
        aloneRequests: ALONE_REQUESTS,
        workspaces: WORKSPACES,
        listingBytes: Buffer.byteLength(listingText()),
        loadAtStart,
        seedSeconds,
        targetRatio: TARGET_RATIO,
      }),
    );
    log(`done in ${((performance.now() - startedAt) / 60_000).toFixed(1)} min`);
    if (failed > 0) {
      log(`${failed} requests failed (connection errors, timeouts, non-2xx or GraphQL errors)`);
      return 1;
    }
    return 0;
  });
}

process.exitCode = await main();
