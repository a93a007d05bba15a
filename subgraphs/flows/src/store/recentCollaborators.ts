import { RecentlyRead } from '#internal/recentlyRead';
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
  private readonly recent: RecentlyRead<CollaboratorRoles>;

  constructor(
    collaborators: CollaboratorModel,
    ttlMs = 1_000,
    /** Collaborators kept in all (a flow has at most 200). */
    maxSize = 200_000,
  ) {
    this.recent = new RecentlyRead<CollaboratorRoles>(
      async (flowIds) => {
        const read = new Map(flowIds.map((id) => [id, new Map<string, CollaboratorRecord['role']>()]));
        const found = await collaborators.find({ flowId: { $in: flowIds } }, { flowId: 1, userId: 1, role: 1 }).lean();
        for (const { flowId, userId, role } of found) read.get(flowId)?.set(userId, role);
        return read;
      },
      { ttlMs, maxSize, sizeOf: (roles) => roles.size + 1 },
    );
  }

  /** The collaborators of each of `flowIds`, reading the store only for flows not kept. */
  async load(flowIds: readonly string[]): Promise<CollaboratorRoles[]> {
    return (await this.recent.load(flowIds)).map((roles) => roles ?? new Map());
  }

  /** After this instance changed a flow's collaborators: the next read goes to the store. */
  forget(flowId: string): void {
    this.recent.forget(flowId);
  }
}
