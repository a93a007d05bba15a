// The flows page's own store query, run straight on the engine: how much of the page's
// time is the engine's as the flows grow.
import { performance } from 'node:perf_hooks';
import type mongoose from 'mongoose';
import { PAGE_SIZE } from './queries.js';

type Db = mongoose.mongo.Db;

/** The filter the flows subgraph builds for the caller's page of one workspace (see `flow.access.ts`). */
const pageFilter = (callerId: string, memberOf: readonly string[], workspaceId: string): Record<string, unknown> => ({
  $and: [
    {
      $or: [{ workspaceId: null, ownerId: callerId }, { workspaceId: { $in: [...memberOf] } }, { _id: { $in: [] } }],
    },
    { deletedAt: null },
    { workspaceId },
  ],
});

/** p50 ms of `times` page queries, one at a time, as the subgraph runs them. */
export async function pageFindP50(
  flowsDb: Db,
  callerId: string,
  memberOf: readonly string[],
  workspaceId: string,
  times = 50,
): Promise<number> {
  const flows = flowsDb.collection('flows');
  const filter = pageFilter(callerId, memberOf, workspaceId);
  const took: number[] = [];
  for (let index = 0; index < times; index += 1) {
    const start = performance.now();
    await flows
      .find(filter)
      .sort({ _id: -1 })
      .limit(PAGE_SIZE + 1)
      .toArray();
    took.push(performance.now() - start);
  }
  took.sort((a, b) => a - b);
  return took[Math.floor(took.length / 2)] ?? Number.NaN;
}

/** The engine's own account of the page query (what it pushed down), one line for the log. */
export async function explainPage(
  flowsDb: Db,
  callerId: string,
  memberOf: readonly string[],
  workspaceId: string,
): Promise<string> {
  try {
    const explained = await flowsDb.command({
      explain: {
        find: 'flows',
        filter: pageFilter(callerId, memberOf, workspaceId),
        sort: { _id: -1 },
        limit: PAGE_SIZE + 1,
      },
    });
    const { queryPlanner, ...rest } = explained;
    const flags = Object.entries(rest).filter(([key]) => /pushdown/i.test(key));
    return `${JSON.stringify(Object.fromEntries(flags))} ${JSON.stringify(queryPlanner).slice(0, 1_500)}`;
  } catch (error) {
    return `explain failed: ${(error as Error).message}`;
  }
}
