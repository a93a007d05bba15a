import type { TokenService } from '#internal/auth';
import type { Logger } from '#internal/logger';
import type { RefreshTokenModel, RefreshTokenUseModel } from './refreshToken.model.js';
import { newRefreshToken, parseRefreshToken } from './refreshToken.js';
import type { SessionDocument, SessionModel } from './session.model.js';
import { isDuplicateKey } from '#internal/db';

const THIRTY_DAYS_SECONDS = 30 * 24 * 3600;
const HOUR_MS = 3600_000;

export interface SessionStores {
  sessions: SessionModel;
  refreshTokens: RefreshTokenModel;
  refreshTokenUses: RefreshTokenUseModel;
}

export interface SessionTokens {
  sessionId: string;
  /**
   * Carries the session id as `sid`. The router checks the session is live on every
   * request and subscription event (cached, and told of revocations at once through
   * `onRevoked`), so revoking a session stops its access tokens too, not only refreshing.
   */
  accessToken: string;
  refreshToken: string;
}

export type Rotation =
  | { ok: true; userId: string; tokens: SessionTokens }
  /** `reused`: the token had been exchanged before, and its whole session is now revoked. */
  | { ok: false; reason: 'invalid' }
  | { ok: false; reason: 'reused'; userId: string; sessionId: string };

export interface SessionServiceOptions {
  /** How long a refresh token stays valid unused; each exchange extends the session by this much. */
  refreshTtlSeconds?: number;
  /** How often (at most) a sign-in also deletes expired sessions and tokens. */
  sweepEveryMs?: number;
  logger?: Logger;
  /** Told of every revocation once it is stored, to stop the sessions' access tokens everywhere. */
  onRevoked?: (sessionIds: string[]) => void;
}

/** Sessions and their rotating refresh tokens. */
export class SessionService {
  private readonly refreshTtlMs: number;
  private nextSweep = 0;

  constructor(
    private readonly stores: SessionStores,
    private readonly tokens: TokenService,
    private readonly options: SessionServiceOptions = {},
  ) {
    this.refreshTtlMs = (options.refreshTtlSeconds ?? THIRTY_DAYS_SECONDS) * 1000;
  }

  /** Signs a user in on a new device: a new session and its first token pair. */
  async start(userId: string, ip: string | null): Promise<SessionTokens> {
    const now = new Date();
    if (now.getTime() >= this.nextSweep) {
      this.nextSweep = now.getTime() + (this.options.sweepEveryMs ?? HOUR_MS);
      // Housekeeping must not fail a sign-in.
      await this.sweep(now).catch((error: unknown) =>
        this.options.logger?.error({ err: error }, 'session sweep failed'),
      );
    }
    const expiresAt = new Date(now.getTime() + this.refreshTtlMs);
    const session = await this.stores.sessions.create({ userId, ip, createdAt: now, lastUsedAt: now, expiresAt });
    return this.issue(session.id as string, userId, expiresAt);
  }

  /**
   * Exchanges a refresh token for the next pair of its session. Each token works once:
   * presenting a spent one again means it was copied (or two refreshes raced), so the
   * session is revoked and nobody — the thief or the user — can refresh it any more.
   */
  async rotate(token: string, ip: string | null): Promise<Rotation> {
    const presented = parseRefreshToken(token);
    if (!presented) return { ok: false, reason: 'invalid' };
    const { sessionId, tokenHash } = presented;
    const now = new Date();
    const [record, session] = await Promise.all([
      this.stores.refreshTokens.findById(tokenHash).lean(),
      this.stores.sessions.findById(sessionId).lean(),
    ]);
    // A token we never issued (or for another session) revokes nothing: else anyone who
    // learnt a session id could sign its owner out.
    if (!record || record.sessionId !== sessionId || record.expiresAt <= now || !session) {
      return { ok: false, reason: 'invalid' };
    }
    try {
      // Spending the token: the unique `_id` lets exactly one concurrent exchange win.
      await this.stores.refreshTokenUses.create({
        _id: tokenHash,
        sessionId,
        usedAt: now,
        expiresAt: record.expiresAt,
      });
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      await this.revoke(session.userId, sessionId);
      this.options.logger?.warn({ userId: session.userId, sessionId }, 'refresh token reused; session revoked');
      return { ok: false, reason: 'reused', userId: session.userId, sessionId };
    }
    const expiresAt = new Date(now.getTime() + this.refreshTtlMs);
    // `$set` of these fields only: never recreates a session revoked meanwhile.
    await this.stores.sessions.updateOne({ _id: sessionId }, { $set: { lastUsedAt: now, expiresAt, ip } });
    return { ok: true, userId: session.userId, tokens: await this.issue(sessionId, session.userId, expiresAt) };
  }

  /** Which of `sessionIds` are live (not revoked, not lapsed): one lookup by `_id`. */
  async live(sessionIds: readonly string[]): Promise<string[]> {
    const valid = sessionIds.filter((id) => /^[a-f0-9]{24}$/.test(id));
    if (valid.length === 0) return [];
    const found = await this.stores.sessions
      .find({ _id: { $in: valid }, expiresAt: { $gt: new Date() } }, { _id: 1 })
      .lean();
    return found.map((session) => String(session._id));
  }

  /** The user's sessions that can still be refreshed, most recently used first. */
  list(userId: string, limit: number): Promise<SessionDocument[]> {
    return this.stores.sessions
      .find({ userId, expiresAt: { $gt: new Date() } })
      .sort({ lastUsedAt: -1, _id: -1 })
      .limit(limit);
  }

  /** Revokes one of the user's sessions; false when the user has no such session. */
  async revoke(userId: string, sessionId: string): Promise<boolean> {
    if (!/^[a-f0-9]{24}$/.test(sessionId)) return false;
    const { deletedCount } = await this.stores.sessions.deleteOne({ _id: sessionId, userId });
    // Only when it was the user's: another user's session keeps its tokens.
    if (deletedCount === 0) return false;
    this.options.onRevoked?.([sessionId]);
    await this.forgetTokens([sessionId]);
    return true;
  }

  /** Revokes every session of the user, but `keep` when given. */
  async revokeAll(userId: string, keep?: string | null): Promise<void> {
    const filter = keep ? { userId, _id: { $ne: keep } } : { userId };
    const ids = (await this.stores.sessions.find(filter, { _id: 1 }).lean()).map((session) => String(session._id));
    if (ids.length === 0) return;
    await this.stores.sessions.deleteMany({ _id: { $in: ids } });
    this.options.onRevoked?.(ids);
    await this.forgetTokens(ids);
  }

  private async forgetTokens(sessionIds: string[]): Promise<void> {
    // After the session itself: its tokens are already worthless, this only frees space.
    // The records of spent tokens stay until they expire (see RefreshTokenUseRecord):
    // deleting them now would let an exchange already under way spend its token again.
    await this.stores.refreshTokens.deleteMany({ sessionId: { $in: sessionIds } });
  }

  /**
   * Deletes what has expired: there are no TTL indexes on FerretDB, so this runs now and
   * then on sign-in. Expired records are ignored by every read before this runs.
   */
  private async sweep(now: Date): Promise<void> {
    const expired = { expiresAt: { $lte: now } };
    await Promise.all([
      this.stores.sessions.deleteMany(expired),
      this.stores.refreshTokens.deleteMany(expired),
      this.stores.refreshTokenUses.deleteMany(expired),
    ]);
  }

  private async issue(sessionId: string, userId: string, expiresAt: Date): Promise<SessionTokens> {
    const refresh = newRefreshToken(sessionId);
    const [accessToken] = await Promise.all([
      this.tokens.sign(userId, 'access', { sid: sessionId }),
      this.stores.refreshTokens.create({ _id: refresh.tokenHash, sessionId, expiresAt }),
    ]);
    return { sessionId, accessToken, refreshToken: refresh.token };
  }
}
