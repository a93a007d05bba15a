import DataLoader from 'dataloader';
import { isValidObjectId } from 'mongoose';
import { RecentlyRead } from '#internal/recentlyRead';
import type { FlowDocument, FlowModel } from './flow.model.js';

/**
 * Flow records as this instance last read them, kept for at most `ttlMs`. Every write and
 * every subscriber's access check needs the flow's record (owner, workspace, trash), and
 * it seldom changes: a busy flow would otherwise cost one read per write and per check.
 * What this instance changes (`forget`) is read again at once; a change made by another
 * instance is seen here within `ttlMs`. A missing flow is asked again every time.
 */
export class RecentFlows {
  private readonly recent: RecentlyRead<FlowDocument>;

  constructor(flows: FlowModel, ttlMs = 1_000, max = 10_000) {
    this.recent = new RecentlyRead(
      async (ids) => {
        const valid = ids.filter((id) => isValidObjectId(id));
        const found = valid.length === 0 ? [] : await flows.find({ _id: { $in: valid } });
        return new Map(found.map((flow) => [flow.id as string, flow]));
      },
      { ttlMs, maxSize: max },
    );
  }

  /** The records of `ids` (null for a missing one), reading the store only for those not kept. */
  async load(ids: readonly string[]): Promise<(FlowDocument | null)[]> {
    return (await this.recent.load(ids)).map((flow) => flow ?? null);
  }

  async get(id: string): Promise<FlowDocument | null> {
    return (await this.load([id]))[0] ?? null;
  }

  /** After this instance changed the record: the next read goes to the store. */
  forget(id: string): void {
    this.recent.forget(id);
  }
}

/** One query for every flow a request asks for by id (none for records read in the last second). */
export const createFlowLoader = (recent: RecentFlows): DataLoader<string, FlowDocument | null> =>
  new DataLoader((ids) => recent.load(ids));
