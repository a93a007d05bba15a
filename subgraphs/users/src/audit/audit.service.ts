import type { Logger } from '#internal/logger';
import { newestFirstPage, type Page } from '#internal/pagination';
import type { AuditEventType } from './audit.events.js';
import type { AuditDocument, AuditModel } from './audit.model.js';

export interface AuditEntry {
  type: AuditEventType;
  actorId: string | null;
  subjectId?: string | null;
  workspaceId?: string | null;
  ip?: string | null;
  details?: Record<string, unknown>;
}

/** The audit trail: written by every security-relevant action, read by the people it concerns. */
export class AuditLog {
  constructor(
    private readonly events: AuditModel,
    private readonly logger?: Logger,
  ) {}

  /**
   * Records an event. The action it describes has happened already: a failure to record
   * is logged loudly but does not undo it or fail the request.
   */
  async record(entry: AuditEntry): Promise<void> {
    try {
      await this.events.create({
        type: entry.type,
        at: new Date(),
        actorId: entry.actorId,
        subjectId: entry.subjectId ?? null,
        workspaceId: entry.workspaceId ?? null,
        ip: entry.ip ?? null,
        details: entry.details ? JSON.stringify(entry.details) : null,
      });
    } catch (error) {
      this.logger?.error({ err: error, entry }, 'audit event not recorded');
    }
  }

  /** A user's own trail: what they did and what was done to their account. */
  forUser<T>(
    userId: string,
    first: number | null | undefined,
    after: string | null | undefined,
    map: (doc: AuditDocument) => T,
  ): Promise<Page<T>> {
    return this.page({ $or: [{ actorId: userId }, { subjectId: userId }] }, first, after, map);
  }

  /**
   * A workspace's trail for its admins: what happened in the workspace, and the account
   * security events (log-ins, 2FA, sessions) of its current members.
   */
  forWorkspace<T>(
    workspaceId: string,
    memberIds: string[],
    first: number | null | undefined,
    after: string | null | undefined,
    map: (doc: AuditDocument) => T,
  ): Promise<Page<T>> {
    const filter = {
      $or: [
        { workspaceId },
        { workspaceId: null, actorId: { $in: memberIds } },
        { workspaceId: null, actorId: null, subjectId: { $in: memberIds } },
      ],
    };
    return this.page(filter, first, after, map);
  }

  private page<T>(
    filter: Record<string, unknown>,
    first: number | null | undefined,
    after: string | null | undefined,
    map: (doc: AuditDocument) => T,
  ): Promise<Page<T>> {
    return newestFirstPage(
      'audit',
      first,
      after,
      (idFilter, limit) =>
        this.events
          .find(idFilter ? { $and: [filter, { _id: idFilter }] } : filter)
          .sort({ _id: -1 })
          .limit(limit),
      map,
    );
  }
}
