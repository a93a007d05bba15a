import { LRUCache } from 'lru-cache';
import { isValidObjectId } from 'mongoose';
import type { FlowDocument, FlowModel } from './flow.model.js';

/**
 * Flow records as this instance last read them, kept for at most `ttlMs`. Every write and
 * every subscriber's access check needs the flow's record (owner, workspace, trash), and
 * it seldom changes: a busy flow would otherwise cost one read per write and per check.
 * What this instance changes (`forget`) is read again at once; a change made by another
 * instance is seen here within `ttlMs`. Records are shared between requests: read-only.
 */
export class RecentFlows {
  private readonly entries: LRUCache<string, FlowDocument>;

  constructor(
    private readonly flows: FlowModel,
    ttlMs = 1_000,
    max = 10_000,
  ) {
    this.entries = new LRUCache({ max, ttl: ttlMs });
  }

  /** The records of `ids` (null for a missing one), reading the store only for those not kept. */
  async load(ids: readonly string[]): Promise<(FlowDocument | null)[]> {
    const kept = new Map<string, FlowDocument>();
    const missing: string[] = [];
    for (const id of ids) {
      const flow = this.entries.get(id);
      if (flow) kept.set(id, flow);
      else if (isValidObjectId(id)) missing.push(id);
    }
    if (missing.length > 0) {
      for (const flow of await this.flows.find({ _id: { $in: missing } })) {
        kept.set(flow.id as string, flow);
        this.entries.set(flow.id as string, flow);
      }
    }
    return ids.map((id) => kept.get(id) ?? null);
  }

  async get(id: string): Promise<FlowDocument | null> {
    return (await this.load([id]))[0] ?? null;
  }

  /** After this instance changed the record: the next read goes to the store. */
  forget(id: string): void {
    this.entries.delete(id);
  }
}
