import { LRUCache } from 'lru-cache';
import type { CollaboratorModel, CollaboratorRecord } from './sharing.model.js';

export type CollaboratorRoles = ReadonlyMap<string, CollaboratorRecord['role']>;

/**
 * Each flow's collaborators (user id → role) as this instance last read them, kept for at
 * most `ttlMs`, as `RecentFlows` keeps flow records. Every subscriber's access check asks
 * for the caller's role on the flow: on a flow shared with 50 people that was 20 reads a
 * second, each reading the whole collection on the embedded engine; now one a second.
 * What this instance changes (`forget`) is read again at once; a change made by another
 * instance is seen here within `ttlMs`.
 */
export class RecentCollaborators {
  private readonly entries: LRUCache<string, CollaboratorRoles>;

  constructor(
    private readonly collaborators: CollaboratorModel,
    ttlMs = 1_000,
    /** Collaborators kept in all (a flow has at most 200). */
    maxSize = 200_000,
  ) {
    this.entries = new LRUCache({ maxSize, sizeCalculation: (roles) => roles.size + 1, ttl: ttlMs });
  }

  /** The collaborators of each of `flowIds`, reading the store only for flows not kept. */
  async load(flowIds: readonly string[]): Promise<CollaboratorRoles[]> {
    const known = new Map<string, CollaboratorRoles>();
    for (const id of flowIds) {
      const kept = this.entries.get(id);
      if (kept) known.set(id, kept);
    }
    const missing = [...new Set(flowIds.filter((id) => !known.has(id)))];
    if (missing.length > 0) {
      const read = new Map(missing.map((id) => [id, new Map<string, CollaboratorRecord['role']>()]));
      const found = await this.collaborators
        .find({ flowId: { $in: missing } }, { flowId: 1, userId: 1, role: 1 })
        .lean();
      for (const { flowId, userId, role } of found) read.get(flowId)?.set(userId, role);
      for (const [id, roles] of read) {
        known.set(id, roles);
        this.entries.set(id, roles);
      }
    }
    return flowIds.map((id) => known.get(id) ?? new Map());
  }

  /** After this instance changed a flow's collaborators: the next read goes to the store. */
  forget(flowId: string): void {
    this.entries.delete(flowId);
  }
}
