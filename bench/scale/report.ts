// The Markdown report of a scale run.
import type { Measured } from './load.js';

export interface SizeRow {
  size: number;
  /** Edges on the measured page (the workspace's share, at most a page). */
  edges: number;
  page: Measured;
  /** p50 of requests one at a time. */
  pageAlone: number;
  /** p50 of the page's store query run straight on the engine, one at a time. */
  engineP50: number;
  flow: Measured;
  flowAlone: number;
  load: string;
}

export interface ReportContext {
  connections: number;
  warmupSeconds: number;
  measureSeconds: number;
  aloneRequests: number;
  workspaces: number;
  listingBytes: number;
  loadAtStart: string;
  seedSeconds: Map<number, number>;
  targetRatio: number;
}

const count = (value: number): string => value.toLocaleString('en-US');

function ratioLine(name: string, first: SizeRow, last: SizeRow, p50: (row: SizeRow) => number, target: number): string {
  const ratio = p50(last) / p50(first);
  const verdict = ratio <= target ? 'met' : 'NOT met';
  return (
    `- ${name}: p50(${count(last.size)}) / p50(${count(first.size)}) = ${p50(last)} / ${p50(first)} ms = ` +
    `**${ratio.toFixed(2)}×** (target ≤ ${target}×: ${verdict})`
  );
}

export function scaleReport(rows: readonly SizeRow[], context: ReportContext): string {
  const first = rows[0];
  const last = rows.at(-1);
  const lines = [
    '## Query latency as the flows grow',
    '',
    `Through the router, signed in, rate limits on (raised above the load). Flows spread evenly over ` +
      `${context.workspaces} workspaces (the caller's workspace holds its share, and at least 21: its page is always a full 20), each with a ` +
      `~${(context.listingBytes / 1024).toFixed(1)} KiB listing copy. Per query and size: ${context.warmupSeconds} s ` +
      `warm-up, then ${context.measureSeconds} s with ${context.connections} connections (p50 / p99 / req/s), and ` +
      `${context.aloneRequests} requests one at a time ("alone" p50); the page's store query (same filter, sort ` +
      `and limit as the flows subgraph) run 50 times straight on the engine. Node ${process.version}, load average ` +
      `${context.loadAtStart} at start.`,
    '',
    '| flows | page edges | flows page p50 / p99 ms | req/s | alone p50 ms | its store query alone p50 ms | one flow p50 / p99 ms | req/s | alone p50 ms | seeding s | load average |',
    '| --: | --: | --: | --: | --: | --: | --: | --: | --: | --: | :-- |',
    ...rows.map(
      (row) =>
        `| ${count(row.size)} | ${row.edges} | ${row.page.p50} / ${row.page.p99} | ${row.page.reqPerSecond.toFixed(0)} | ` +
        `${row.pageAlone} | ${row.engineP50.toFixed(1)} | ${row.flow.p50} / ${row.flow.p99} | ${row.flow.reqPerSecond.toFixed(0)} | ${row.flowAlone} | ` +
        `${(context.seedSeconds.get(row.size) ?? 0).toFixed(0)} | ${row.load} |`,
    ),
    '',
  ];
  if (first && last && rows.length > 1) {
    const target = context.targetRatio;
    lines.push(
      ratioLine('flows page', first, last, (row) => row.page.p50, target),
      ratioLine('flows page, alone', first, last, (row) => row.pageAlone, target),
      ratioLine('one flow', first, last, (row) => row.flow.p50, target),
      ratioLine('one flow, alone', first, last, (row) => row.flowAlone, target),
    );
  }
  return `${lines.join('\n')}\n`;
}
