import { Schema, type Connection, type Model } from 'mongoose';

/** One unused recovery code of a user, by its keyed hash (the code itself is shown once, never stored). */
export interface RecoveryCodeRecord {
  _id: string;
  userId: string;
}

/**
 * A second factor already spent: `rc:<hash>` for a recovery code, `totp:<userId>:<step>`
 * for a TOTP code. Inserting here is how one is used: the unique `_id` lets exactly one of
 * any number of concurrent uses win (FerretDB does not apply filtered updates atomically).
 * TOTP records matter only while their code is inside the accepted window; they carry an
 * expiry and are swept (no TTL indexes on FerretDB).
 */
export interface TwoFactorUseRecord {
  _id: string;
  usedAt: Date;
  expiresAt: Date | null;
}

export type RecoveryCodeModel = Model<RecoveryCodeRecord>;
export type TwoFactorUseModel = Model<TwoFactorUseRecord>;

const recoveryCodeSchema = new Schema<RecoveryCodeRecord>(
  {
    _id: { type: String, required: true },
    userId: { type: String, required: true, index: true },
  },
  { versionKey: false },
);

const twoFactorUseSchema = new Schema<TwoFactorUseRecord>(
  {
    _id: { type: String, required: true },
    usedAt: { type: Date, required: true },
    expiresAt: { type: Date, default: null, index: true },
  },
  { versionKey: false },
);

export const createRecoveryCodeModel = (db: Connection): RecoveryCodeModel =>
  db.model<RecoveryCodeRecord>('RecoveryCode', recoveryCodeSchema, 'recovery_codes');

export const createTwoFactorUseModel = (db: Connection): TwoFactorUseModel =>
  db.model<TwoFactorUseRecord>('TwoFactorUse', twoFactorUseSchema, 'two_factor_uses');
