import { createHash, randomBytes } from 'node:crypto';
import type { EmailTokenModel, EmailTokenPurpose, EmailTokenRecord, EmailTokenUseModel } from './emailToken.model.js';
import { isDuplicateKey } from '#internal/db';

const TOKEN = /^[A-Za-z0-9_-]{43}$/;

export const EMAIL_TOKEN_TTL_MS: Record<EmailTokenPurpose, number> = {
  'verify-email': 24 * 3600_000,
  'reset-password': 3600_000,
  'change-email': 24 * 3600_000,
  'reset-two-factor': 24 * 3600_000,
};

export interface EmailTokenStores {
  tokens: EmailTokenModel;
  uses: EmailTokenUseModel;
}

export interface SpentToken {
  userId: string;
  email: string;
}

// 32 random bytes need no salt or slow hash; only the hash is stored, so a copy of the
// database yields no usable link.
const sha256 = (token: string): string => createHash('sha256').update(token).digest('hex');
/** Single-use, expiring tokens for links sent by mail. */
export class EmailTokenService {
  constructor(
    private readonly stores: EmailTokenStores,
    private readonly now: () => number = Date.now,
  ) {}

  async issue(userId: string, email: string, purpose: EmailTokenPurpose): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    const now = this.now();
    // Expired tokens are refused on read; this only frees space (no TTL indexes on FerretDB).
    await this.stores.tokens.deleteMany({ userId, expiresAt: { $lte: new Date(now) } });
    await this.stores.tokens.create({
      _id: sha256(token),
      userId,
      purpose,
      email,
      createdAt: new Date(now),
      expiresAt: new Date(now + EMAIL_TOKEN_TTL_MS[purpose]),
    });
    return token;
  }

  /** The user and address of a token that is known, unexpired and of `purpose`, without spending it. */
  async peek(token: string, purpose: EmailTokenPurpose): Promise<SpentToken | null> {
    const record = await this.find(token, purpose);
    return record && { userId: record.userId, email: record.email };
  }

  /** Spends the token: its user, or null when it is unknown, expired, of another purpose or used. */
  async spend(token: string, purpose: EmailTokenPurpose): Promise<SpentToken | null> {
    const record = await this.find(token, purpose);
    if (!record) return null;
    const id = record._id;
    const now = new Date(this.now());
    try {
      await this.stores.uses.create({ _id: id, usedAt: now, expiresAt: record.expiresAt });
    } catch (error) {
      if (isDuplicateKey(error)) return null;
      throw error;
    }
    await this.stores.tokens.deleteOne({ _id: id });
    await this.stores.uses.deleteMany({ expiresAt: { $lte: now } });
    return { userId: record.userId, email: record.email };
  }

  private async find(token: string, purpose: EmailTokenPurpose): Promise<EmailTokenRecord | null> {
    if (!TOKEN.test(token)) return null;
    const record = await this.stores.tokens.findById(sha256(token)).lean();
    return record && record.purpose === purpose && record.expiresAt.getTime() > this.now() ? record : null;
  }

  /**
   * How many links of `purpose` sent to the user in the last `windowMs` are still unused.
   * Used links are deleted, so this counts exactly the mails nobody acted on — what
   * flooding somebody else's mailbox produces.
   */
  unusedSince(userId: string, purpose: EmailTokenPurpose, windowMs: number): Promise<number> {
    return this.stores.tokens.countDocuments({
      userId,
      purpose,
      createdAt: { $gt: new Date(this.now() - windowMs) },
    });
  }

  /** Voids the user's outstanding tokens of `purpose` (e.g. the other reset links once one was used). */
  async revokeAll(userId: string, purpose: EmailTokenPurpose): Promise<void> {
    await this.stores.tokens.deleteMany({ userId, purpose });
  }
}
