import { Schema, type Connection, type Model } from 'mongoose';

/** How the account behind a sign-in was found. */
export type SignInOutcome = 'known' | 'linked' | 'created';

/** A one-time code that finishes a sign-in at a provider, by the SHA-256 of its secret. */
export interface LoginCodeRecord {
  _id: string;
  userId: string;
  /** `oidc`, `google`, `github` or `saml`. */
  provider: string;
  /** The workspace whose SAML configuration signed the user in; null for the other providers. */
  workspaceId: string | null;
  outcome: SignInOutcome;
  createdAt: Date;
  expiresAt: Date;
}

/**
 * The codes already exchanged. Inserting here is how a code is spent: the unique `_id`
 * lets exactly one of concurrent exchanges win, which a filtered update would not on FerretDB.
 */
export interface LoginCodeUseRecord {
  _id: string;
  usedAt: Date;
  expiresAt: Date;
}

export type LoginCodeModel = Model<LoginCodeRecord>;
export type LoginCodeUseModel = Model<LoginCodeUseRecord>;

const loginCodeSchema = new Schema<LoginCodeRecord>(
  {
    _id: { type: String, required: true },
    userId: { type: String, required: true },
    provider: { type: String, required: true },
    workspaceId: { type: String, default: null },
    outcome: { type: String, required: true, enum: ['known', 'linked', 'created'] },
    createdAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true, index: true },
  },
  { versionKey: false },
);

const loginCodeUseSchema = new Schema<LoginCodeUseRecord>(
  {
    _id: { type: String, required: true },
    usedAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true, index: true },
  },
  { versionKey: false },
);

export const createLoginCodeModel = (db: Connection): LoginCodeModel =>
  db.model<LoginCodeRecord>('LoginCode', loginCodeSchema, 'login_codes');

export const createLoginCodeUseModel = (db: Connection): LoginCodeUseModel =>
  db.model<LoginCodeUseRecord>('LoginCodeUse', loginCodeUseSchema, 'login_code_uses');
