import type { AssertionSigner, Identity } from '../auth/index.js';
import { IDENTITY_HEADER } from '../auth/index.js';
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
    private readonly usersUrl: string,
    /** This service's signer: it asserts only itself. */
    private readonly assertions: AssertionSigner,
    private readonly service: string,
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

  private async fetch(identity: Identity): Promise<Memberships> {
    const assertion = await this.assertions.sign('users', { identity: null, clientIp: null, service: this.service });
    const response = await fetch(this.usersUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [IDENTITY_HEADER]: assertion },
      body: JSON.stringify({ query: QUERY, variables: { userId: identity.userId } }),
      signal: AbortSignal.timeout(5_000),
    });
    const body = (await response.json()) as {
      data?: { workspaceGrantsOf?: { workspaceId: string; role: unknown }[] } | null;
      errors?: { message: string }[];
    };
    const list = body.data?.workspaceGrantsOf;
    if (!response.ok || !list) {
      throw new Error(`workspace memberships unavailable: ${response.status} ${body.errors?.[0]?.message ?? ''}`);
    }
    return new Map(
      list.flatMap(({ workspaceId, role }) => (isWorkspaceRole(role) ? [[workspaceId, role] as const] : [])),
    );
  }

  private prune(now: number): void {
    for (const [key, entry] of this.cache) if (now - entry.at >= this.ttlMs) this.cache.delete(key);
  }
}
