import { createHash, randomBytes } from 'node:crypto';
import { isDuplicateKey } from '#internal/db';
import type { LoginCodeModel, LoginCodeRecord, LoginCodeUseModel, SignInOutcome } from './loginCode.model.js';

/** Long enough for the app to load and exchange it; a code that leaks later is worthless. */
export const LOGIN_CODE_TTL_MS = 2 * 60_000;
const CODE = /^[A-Za-z0-9_-]{43}$/;

export interface LoginCodeStores {
  codes: LoginCodeModel;
  uses: LoginCodeUseModel;
}

export interface LoginGrant {
  userId: string;
  provider: string;
  workspaceId: string | null;
  outcome: SignInOutcome;
}

// 32 random bytes need no salt or slow hash; only the hash is stored.
const sha256 = (code: string): string => createHash('sha256').update(code).digest('hex');

/**
 * Single-use codes that hand a finished provider sign-in to the app: the callback puts one
 * in the URL fragment of the redirect to the app (never a token: fragments reach no
 * server and no log, and the code is useless after two minutes or one use), and
 * `exchangeLoginCode` turns it into a session.
 */
export class LoginCodeService {
  constructor(
    private readonly stores: LoginCodeStores,
    private readonly now: () => number = Date.now,
  ) {}

  async issue(grant: LoginGrant): Promise<string> {
    const code = randomBytes(32).toString('base64url');
    const now = this.now();
    // Expired codes are refused on read; this only frees space (no TTL indexes on FerretDB).
    const expired = { expiresAt: { $lte: new Date(now) } };
    await Promise.all([this.stores.codes.deleteMany(expired), this.stores.uses.deleteMany(expired)]);
    await this.stores.codes.create({
      _id: sha256(code),
      ...grant,
      createdAt: new Date(now),
      expiresAt: new Date(now + LOGIN_CODE_TTL_MS),
    });
    return code;
  }

  /** The grant of a code that is known and unexpired, without spending it (it may be used already). */
  async peek(code: string): Promise<LoginCodeRecord | null> {
    if (!CODE.test(code)) return null;
    const record = await this.stores.codes.findById(sha256(code)).lean();
    return record && record.expiresAt.getTime() > this.now() ? record : null;
  }

  /** Spends a code `peek` returned: true for the one caller that gets it. */
  async spend(record: LoginCodeRecord): Promise<boolean> {
    try {
      await this.stores.uses.create({ _id: record._id, usedAt: new Date(this.now()), expiresAt: record.expiresAt });
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw error;
    }
    await this.stores.codes.deleteOne({ _id: record._id });
    return true;
  }
}
