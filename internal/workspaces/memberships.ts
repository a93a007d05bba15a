import type { Identity } from '#internal/auth';
import type { UsersApi } from '#internal/usersApi';
import { isWorkspaceRole, type WorkspaceRole } from './roles.js';

/** Workspace id → the caller's role there. */
export type Memberships = ReadonlyMap<string, WorkspaceRole>;

const QUERY = /* GraphQL */ `
  query WorkspaceGrants($userId: ID!) {
    workspaceGrantsOf(userId: $userId) {
      workspaceId
      role
    }
  }
`;

/** An answer this young is not asked again, even when it says "not a member". */
const FRESH_MS = 200;

interface CacheEntry {
  at: number;
  memberships: Promise<Memberships>;
}

/**
 * Who belongs to which workspace is the users domain's to say: other domains ask the
 * users subgraph on their own account (an assertion they sign as themselves, for a field
 * only services may read), and keep the answer for a moment. A role change or removal
 * therefore takes effect within `ttlMs` everywhere.
 */
export class WorkspaceMemberships {
  private readonly cache = new Map<string, CacheEntry>();

  constructor(
    private readonly users: UsersApi,
    private readonly ttlMs = 2_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** The caller's memberships; concurrent asks for one user share one request. */
  of(identity: Identity): Promise<Memberships> {
    const now = this.now();
    const cached = this.cache.get(identity.userId);
    if (cached && now - cached.at < this.ttlMs) return cached.memberships;
    if (this.cache.size > 10_000) this.prune(now);
    const memberships = this.fetch(identity);
    this.cache.set(identity.userId, { at: now, memberships });
    // A failure is not remembered: the next ask tries again.
    memberships.catch(() => this.cache.delete(identity.userId));
    return memberships;
  }

  /**
   * The caller's role in one workspace. A cached "member" answer is used as is; a cached
   * "not a member" is asked again (unless just fetched), so a workspace created or joined
   * a moment ago works at once, while a removal takes up to `ttlMs` to apply.
   */
  async roleIn(identity: Identity | null, workspaceId: string): Promise<WorkspaceRole | null> {
    if (!identity) return null;
    const role = (await this.of(identity)).get(workspaceId);
    if (role) return role;
    const cached = this.cache.get(identity.userId);
    if (cached && this.now() - cached.at < FRESH_MS) return null;
    this.cache.delete(identity.userId);
    return (await this.of(identity)).get(workspaceId) ?? null;
  }

  /** Whether the two share a workspace; like `roleIn`, a cached "no" is asked again. */
  async shareAWorkspace(a: Identity, b: Identity): Promise<boolean> {
    const common = async (): Promise<boolean> => {
      const [first, second] = await Promise.all([this.of(a), this.of(b)]);
      return [...first.keys()].some((workspaceId) => second.has(workspaceId));
    };
    if (await common()) return true;
    const now = this.now();
    for (const { userId } of [a, b]) {
      const cached = this.cache.get(userId);
      if (cached && now - cached.at >= FRESH_MS) this.cache.delete(userId);
    }
    return common();
  }

  private async fetch(identity: Identity): Promise<Memberships> {
    const { workspaceGrantsOf } = await this.users.query<{
      workspaceGrantsOf: { workspaceId: string; role: unknown }[];
    }>(QUERY, { userId: identity.userId });
    return new Map(
      workspaceGrantsOf.flatMap(({ workspaceId, role }) =>
        isWorkspaceRole(role) ? [[workspaceId, role] as const] : [],
      ),
    );
  }

  private prune(now: number): void {
    for (const [key, entry] of this.cache) if (now - entry.at >= this.ttlMs) this.cache.delete(key);
  }
}
