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
  private readonly entries = new Map<string, { flow: FlowDocument; until: number }>();

  constructor(
    private readonly flows: FlowModel,
    private readonly ttlMs = 1_000,
    private readonly max = 10_000,
  ) {}

  /** The records of `ids` (null for a missing one), reading the store only for those not kept. */
  async load(ids: readonly string[]): Promise<(FlowDocument | null)[]> {
    const now = Date.now();
    const kept = new Map<string, FlowDocument>();
    const missing: string[] = [];
    for (const id of ids) {
      const entry = this.entries.get(id);
      if (entry && entry.until > now) kept.set(id, entry.flow);
      else if (isValidObjectId(id)) missing.push(id);
    }
    if (missing.length > 0) {
      const until = Date.now() + this.ttlMs;
      for (const flow of await this.flows.find({ _id: { $in: missing } })) {
        const id = flow.id as string;
        kept.set(id, flow);
        this.remember(id, flow, until);
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

  private remember(id: string, flow: FlowDocument, until: number): void {
    this.entries.delete(id);
    this.entries.set(id, { flow, until });
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= this.max) break;
      this.entries.delete(oldest);
    }
  }
}
