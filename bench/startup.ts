// Start-up benchmark: how long the whole stack takes from `startStack` to the router's
// `/ready` 200, cold (fresh DATA_DIR) and warm (same DATA_DIR again), and how much memory
// each process holds once it is ready.
//
//   RUNS=3 npm run bench:startup
//
// The embedded engine must already be built under .tools (any `npm start` does that).
// Progress goes to stderr; the Markdown report goes to stdout.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startStack, type RunningStack } from '../stack/stack.js';
import { rssMiB } from './proc.js';

interface RunResult {
  coldSeconds: number;
  warmSeconds: number;
  rss: { name: string; pid: number | undefined; mib: number | undefined }[];
}

const runs = Number(process.env['RUNS'] ?? 3);
if (!Number.isInteger(runs) || runs < 1) throw new Error(`RUNS must be a positive integer, got ${process.env['RUNS']}`);

// Always the embedded services, whatever the caller's environment points at.
const { MONGODB_URI: _mongo, CHROMA_URL: _chroma, REDIS_URL: _redis, ...baseEnv } = process.env;
const toolsDir = join(process.cwd(), '.tools');
const MIB = 1024 * 1024;

/** Starts the stack on free ports and returns it with the seconds it took to be ready. */
async function timedStart(dataDir: string): Promise<[RunningStack, number]> {
  const started = performance.now();
  const stack = await startStack({
    env: { ...baseEnv, LOG_LEVEL: baseEnv['LOG_LEVEL'] ?? 'warn' },
    dataDir,
    toolsDir,
    routerPort: 0,
    randomPorts: true,
    output: 'ignore',
    onCrash: (name) => process.stderr.write(`bench: ${name} crashed\n`),
  });
  return [stack, (performance.now() - started) / 1000];
}

async function run(index: number): Promise<RunResult> {
  const dir = await mkdtemp(join(tmpdir(), 'ufe-bench-'));
  const dataDir = join(dir, 'data');
  try {
    process.stderr.write(`bench: run ${index}: cold start\n`);
    const [cold, coldSeconds] = await timedStart(dataDir);
    let rss: RunResult['rss'];
    try {
      rss = await Promise.all(
        cold.processes.map(async ({ name, child }) => ({ name, pid: child.pid, mib: await rssMiB(child.pid) })),
      );
      rss.push({ name: 'launcher (this process)', pid: process.pid, mib: process.memoryUsage().rss / MIB });
    } finally {
      await cold.dispose();
    }

    process.stderr.write(`bench: run ${index}: warm restart\n`);
    const [warm, warmSeconds] = await timedStart(dataDir);
    await warm.dispose();
    return { coldSeconds, warmSeconds, rss };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const upper = sorted[middle] ?? Number.NaN;
  return sorted.length % 2 === 1 ? upper : ((sorted[middle - 1] ?? Number.NaN) + upper) / 2;
};
const seconds = (value: number): string => value.toFixed(2);
const mib = (value: number | undefined): string => (value === undefined ? 'n/a' : value.toFixed(1));

const results: RunResult[] = [];
for (let index = 1; index <= runs; index += 1) results.push(await run(index));

const lines = [
  `## Stack start-up (${runs} run${runs === 1 ? '' : 's'}, Node ${process.version})`,
  '',
  '| run | cold start → /ready (s) | warm restart → /ready (s) |',
  '| --: | --: | --: |',
  ...results.map(
    (result, index) => `| ${index + 1} | ${seconds(result.coldSeconds)} | ${seconds(result.warmSeconds)} |`,
  ),
  '',
  `Median cold start: **${seconds(median(results.map((result) => result.coldSeconds)))} s**; ` +
    `median warm restart (same DATA_DIR): **${seconds(median(results.map((result) => result.warmSeconds)))} s**`,
  '',
  '## Resident memory once ready (last run, cold start)',
  '',
  '| process | pid | RSS (MiB) |',
  '| :-- | --: | --: |',
];
const last = results.at(-1)?.rss ?? [];
for (const { name, pid, mib: value } of last) lines.push(`| ${name} | ${pid ?? 'n/a'} | ${mib(value)} |`);
const total = last.reduce((sum, { mib: value }) => sum + (value ?? 0), 0);
lines.push(`| **total** | | **${mib(total)}** |`);
process.stdout.write(`${lines.join('\n')}\n`);
