import { createHmac, randomBytes } from 'node:crypto';
import { generateSecret, generateURI, verify } from 'otplib';
import type { UserDocument, UserModel } from '../user/user.model.js';
import { deriveKey } from './keys.js';
import type { SecretBox } from './secretBox.js';
import type { RecoveryCodeModel, TwoFactorUseModel } from './twoFactor.model.js';
import { isDuplicateKey } from '#internal/db';

const PERIOD_SECONDS = 30;
/** ±1 step: phones whose clocks are a little off still work. */
const TOLERANCE_SECONDS = PERIOD_SECONDS;
const RECOVERY_CODES = 10;
const ISSUER = 'UX-Flow-Engine';
const TOTP = /^\d{6}$/;
// No 0/o, 1/l/i: codes are read off paper.
const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

export interface TwoFactorStores {
  users: UserModel;
  recoveryCodes: RecoveryCodeModel;
  uses: TwoFactorUseModel;
}

export interface Enrollment {
  secret: string;
  otpauthUri: string;
}

/** `xxxxx-xxxxx`: 10 characters of 31, about 50 bits. */
function newRecoveryCode(): string {
  const bytes = randomBytes(10);
  const chars = [...bytes].map((byte) => ALPHABET[byte % ALPHABET.length]).join('');
  return `${chars.slice(0, 5)}-${chars.slice(5)}`;
}

const normalize = (code: string): string => code.replace(/[\s-]/g, '').toLowerCase();

/** TOTP two-factor: enrolment, confirmation, checking codes, recovery codes. */
export class TwoFactorService {
  private readonly recoveryKey: Buffer;

  constructor(
    private readonly stores: TwoFactorStores,
    private readonly box: SecretBox,
    jwtSecret: string,
    private readonly now: () => number = Date.now,
  ) {
    // Keyed rather than plain SHA-256: recovery codes have ~50 bits, which a copy of the
    // database alone could otherwise be searched for offline.
    this.recoveryKey = deriveKey(jwtSecret, 'recovery-code/hmac/v1');
  }

  /** A new pending secret for the user; it replaces any earlier pending one. */
  async enroll(user: UserDocument): Promise<Enrollment> {
    const secret = generateSecret();
    await this.stores.users.updateOne(
      { _id: user._id },
      { $set: { twoFactorPendingSecret: this.box.seal(secret, user.id as string) } },
    );
    return { secret, otpauthUri: generateURI({ issuer: ISSUER, label: user.email, secret }) };
  }

  /**
   * Enables two-factor when `code` is a current code of the pending secret, and returns
   * the new recovery codes (the only time they are seen); null when the code is wrong.
   */
  async confirm(user: UserDocument, code: string): Promise<string[] | null> {
    const userId = user.id as string;
    if (!user.twoFactorPendingSecret) return null;
    const secret = this.box.open(user.twoFactorPendingSecret, userId);
    if (!(await this.checkTotp(userId, secret, code))) return null;
    const codes = await this.newRecoveryCodes(userId);
    await this.stores.users.updateOne(
      { _id: user._id },
      {
        $set: { twoFactorEnabled: true, twoFactorSecret: user.twoFactorPendingSecret, twoFactorPendingSecret: null },
      },
    );
    return codes;
  }

  /** Ten new recovery codes for the user, replacing any left: shown once, stored only as keyed hashes. */
  async newRecoveryCodes(userId: string): Promise<string[]> {
    const codes = Array.from({ length: RECOVERY_CODES }, newRecoveryCode);
    await this.stores.recoveryCodes.deleteMany({ userId });
    await this.stores.recoveryCodes.insertMany(codes.map((plain) => ({ _id: this.recoveryHash(plain), userId })));
    return codes;
  }

  /**
   * Whether `code` is a current TOTP code of the user's secret or one of their unused
   * recovery codes; either way it is spent by this call and never accepted again.
   */
  async verify(user: UserDocument, code: string): Promise<boolean> {
    return (await this.verifyFactor(user, code)) !== null;
  }

  /** Like `verify`, telling which factor the code was (for the audit log); null when it is no good. */
  async verifyFactor(user: UserDocument, code: string): Promise<'totp' | 'recovery-code' | null> {
    const userId = user.id as string;
    if (!user.twoFactorEnabled || !user.twoFactorSecret) return null;
    const clean = normalize(code);
    if (TOTP.test(clean)) {
      return (await this.checkTotp(userId, this.box.open(user.twoFactorSecret, userId), clean)) ? 'totp' : null;
    }
    return (await this.spendRecoveryCode(userId, clean)) ? 'recovery-code' : null;
  }

  /** Turns two-factor off and forgets the secret, the recovery codes and any removal asked for. */
  async disable(user: UserDocument): Promise<void> {
    await this.stores.users.updateOne(
      { _id: user._id },
      {
        $set: { twoFactorEnabled: false, twoFactorSecret: null, twoFactorPendingSecret: null, twoFactorResetAt: null },
      },
    );
    await this.stores.recoveryCodes.deleteMany({ userId: user.id as string });
  }

  /** Forgets every trace of the user (account deletion). */
  async forget(userId: string): Promise<void> {
    await this.stores.recoveryCodes.deleteMany({ userId });
  }

  private async checkTotp(userId: string, secret: string, code: string): Promise<boolean> {
    const clean = normalize(code);
    if (!TOTP.test(clean)) return false;
    const epoch = Math.floor(this.now() / 1000);
    const result = await verify({ secret, token: clean, epoch, epochTolerance: TOLERANCE_SECONDS });
    // Always a TOTP result here; the check narrows otplib's TOTP/HOTP union.
    if (!result.valid || !('timeStep' in result)) return false;
    // A code seen on the wire (or over a shoulder) must not work a second time while it
    // is still inside the window: one use per user and time step.
    const expiresAt = new Date((result.timeStep + 2) * PERIOD_SECONDS * 1000 + TOLERANCE_SECONDS * 1000);
    await this.sweep();
    return this.spend(`totp:${userId}:${result.timeStep}`, expiresAt);
  }

  private async spendRecoveryCode(userId: string, code: string): Promise<boolean> {
    const hash = this.recoveryHash(code);
    const record = await this.stores.recoveryCodes.findOne({ _id: hash, userId }).lean();
    if (!record) return false;
    if (!(await this.spend(`rc:${hash}`, null))) return false;
    await this.stores.recoveryCodes.deleteOne({ _id: hash });
    return true;
  }

  /** True for the one caller whose insert of `id` succeeds. */
  private async spend(id: string, expiresAt: Date | null): Promise<boolean> {
    try {
      await this.stores.uses.create({ _id: id, usedAt: new Date(this.now()), expiresAt });
      return true;
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  }

  private async sweep(): Promise<void> {
    await this.stores.uses.deleteMany({ expiresAt: { $ne: null, $lte: new Date(this.now()) } });
  }

  private recoveryHash(code: string): string {
    return createHmac('sha256', this.recoveryKey).update(normalize(code)).digest('hex');
  }
}
