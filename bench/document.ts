// A flow document's size under a long editing session: 60,000 moves of 40 nodes (1,500
// versions of 40 moves), with the document rebuilt when it outgrows its content (the
// default) and without, on the embedded engine. What a new client's first `flowSync`
// downloads is the state.
//
//   npm run bench:document
import 'reflect-metadata';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { connectDatabase } from '#internal/db';
import { createMemoryPubSub } from '#internal/pubsub';
import { startStack, type RunningStack } from '../stack/stack.js';
import { FlowCollab, type FlowCollabOptions } from '../subgraphs/flows/src/collab/flowCollab.js';
import { UpdateLog } from '../subgraphs/flows/src/store/updateLog.js';
import { createFlowModel } from '../subgraphs/flows/src/store/flow.model.js';
import { FlowOpKind } from '../subgraphs/flows/src/domain/ops.js';
import { loadNow, log, withCleanUp } from './harness.js';

const NODES = 40;
const ROUNDS = Number(process.env['ROUNDS'] ?? 1_500);
const meta = { clientId: 'bench', authorId: 'bench' };

interface Row {
  mode: string;
  versions: number;
  rebases: number;
  stateKiB: number;
  syncMs: number;
  writeMs: number;
}

const { MONGODB_URI: _mongo, CHROMA_URL: _chroma, REDIS_URL: _redis, ...baseEnv } = process.env;
const dir = await mkdtemp(join(tmpdir(), 'ufe-bench-document-'));
let stack: RunningStack | undefined;
const loadAtStart = loadNow();

await withCleanUp(
  async () => {
    await stack?.dispose();
    await rm(dir, { recursive: true, force: true });
  },
  async () => {
    log('starting the stack for its engine');
    stack = await startStack({
      env: { ...baseEnv, LOG_LEVEL: 'warn' },
      dataDir: join(dir, 'data'),
      toolsDir: join(process.cwd(), '.tools'),
      routerPort: 0,
      randomPorts: true,
      output: 'ignore',
    });
    const db = await connectDatabase(stack.serviceEnv['MONGODB_URI'] ?? '', 'ufe_bench_document', new Registry());
    const flows = createFlowModel(db);
    const updateLog = new UpdateLog(db);
    await Promise.all([flows.init(), updateLog.init()]);
    const rows: Row[] = [];
    const modes: [string, FlowCollabOptions][] = [
      ['rebuilt when it outgrows its content (default)', {}],
      ['never rebuilt', { rebaseAboveBytes: Number.MAX_SAFE_INTEGER }],
    ];
    for (const [mode, options] of modes) {
      const collab = new FlowCollab(updateLog, flows, createMemoryPubSub(), pino({ level: 'silent' }), options);
      const flow = await flows.create({
        name: mode,
        description: null,
        ownerId: 'bench',
        workspaceId: null,
        version: 0,
      });
      const flowId = flow.id as string;
      const ids = Array.from({ length: NODES }, (_, i) => `n${i}`);
      await collab.applyOps(
        flowId,
        ids.map((id) => ({ kind: FlowOpKind.ADD_NODE, node: { id, type: 'screen', label: id } })),
        meta,
      );
      log(`${mode}: ${ROUNDS} versions of ${NODES} moves`);
      const started = performance.now();
      for (let round = 0; round < ROUNDS; round += 1) {
        const ops = ids.map((id, i) => ({
          kind: FlowOpKind.MOVE_NODE,
          nodeId: id,
          node: { position: { x: round, y: i } },
        }));
        await collab.applyOps(flowId, ops, meta);
      }
      const writeMs = (performance.now() - started) / ROUNDS;
      await new Promise((resolve) => setTimeout(resolve, 500));
      // A new instance, as a new client's first sync meets it: loaded from the store.
      const fresh = new FlowCollab(updateLog, flows, createMemoryPubSub(), pino({ level: 'silent' }), options);
      const syncStarted = performance.now();
      const { update, version } = await fresh.sync(flowId, null);
      const syncMs = performance.now() - syncStarted;
      const rebases = (await updateLog.after(flowId, 0, 100_000)).filter((entry) => entry.rebase).length;
      rows.push({ mode, versions: version, rebases, stateKiB: update.byteLength / 1024, syncMs, writeMs });
      collab.dispose();
      fresh.dispose();
    }
    await db.dropDatabase();
    await db.close();
    const lines = [
      `## A flow document over ${ROUNDS * NODES} moves of ${NODES} nodes`,
      '',
      `${ROUNDS} versions of ${NODES} MOVE_NODE ops each, through FlowCollab on the embedded engine; then a new instance loads the flow and answers a first \`flowSync\` (no state vector). Node ${process.version}, load average ${loadAtStart} at start.`,
      '',
      '| document | versions | rebuilds | state (first flowSync) | first flowSync, cold instance | write |',
      '| :-- | --: | --: | --: | --: | --: |',
      ...rows.map(
        (r) =>
          `| ${r.mode} | ${r.versions} | ${r.rebases} | ${r.stateKiB.toFixed(1)} KiB | ${r.syncMs.toFixed(0)} ms | ${r.writeMs.toFixed(1)} ms |`,
      ),
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  },
);
