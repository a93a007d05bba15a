import { LRUCache } from 'lru-cache';
import type { Identity, TokenService } from '#internal/auth';

/** What the router asks of access tokens. */
export type AccessTokens = Pick<TokenService, 'fromAuthorization'>;

/** Access tokens whose signature was checked, remembered at most this many at once. @default 10_000 */
const MAX_REMEMBERED = 10_000;

/**
 * Remembers verified access tokens until they expire, so a client's every request does
 * not verify the same signature again. Only the signature is remembered: whether the
 * session is still live is asked on every request as before (SessionCheck), so a revoked
 * session is refused as soon as it would be without this. Tokens that fail are not kept.
 */
export class VerifiedTokens implements AccessTokens {
  private readonly verified = new LRUCache<string, Identity>({ max: MAX_REMEMBERED });

  constructor(
    private readonly tokens: AccessTokens,
    private readonly now: () => number = Date.now,
  ) {}

  async fromAuthorization(header: unknown): Promise<Identity | 'anonymous' | 'invalid'> {
    const key = typeof header === 'string' ? header : undefined;
    const remembered = key === undefined ? undefined : this.verified.get(key);
    // Expired as jose decides it (`exp <= now`, whole seconds): the token is checked afresh, and fails.
    if (remembered && !this.expired(remembered)) return remembered;
    const result = await this.tokens.fromAuthorization(header);
    if (key !== undefined && typeof result === 'object' && result.expiresAt !== undefined && !this.expired(result)) {
      this.verified.set(key, result);
    }
    return result;
  }

  private expired(identity: Identity): boolean {
    return identity.expiresAt === undefined || identity.expiresAt <= Math.floor(this.now() / 1000);
  }
}
