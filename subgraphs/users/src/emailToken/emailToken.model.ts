import { Schema, type Connection, type Model } from 'mongoose';

export const EMAIL_TOKEN_PURPOSES = ['verify-email', 'reset-password', 'change-email', 'reset-two-factor'] as const;
export type EmailTokenPurpose = (typeof EMAIL_TOKEN_PURPOSES)[number];

/** A token sent by mail, by the SHA-256 of its secret. */
export interface EmailTokenRecord {
  _id: string;
  userId: string;
  purpose: EmailTokenPurpose;
  /** The address it was sent to: it proves control of that address only. */
  email: string;
  expiresAt: Date;
  createdAt: Date;
}

/**
 * The tokens already used. Inserting here is how a token is spent: the unique `_id` lets
 * exactly one of concurrent uses win, which a filtered update would not on FerretDB.
 */
export interface EmailTokenUseRecord {
  _id: string;
  usedAt: Date;
  expiresAt: Date;
}

export type EmailTokenModel = Model<EmailTokenRecord>;
export type EmailTokenUseModel = Model<EmailTokenUseRecord>;

const emailTokenSchema = new Schema<EmailTokenRecord>(
  {
    _id: { type: String, required: true },
    userId: { type: String, required: true, index: true },
    purpose: { type: String, required: true, enum: EMAIL_TOKEN_PURPOSES },
    email: { type: String, required: true },
    expiresAt: { type: Date, required: true, index: true },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false },
);

const emailTokenUseSchema = new Schema<EmailTokenUseRecord>(
  {
    _id: { type: String, required: true },
    usedAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true, index: true },
  },
  { versionKey: false },
);

export const createEmailTokenModel = (db: Connection): EmailTokenModel =>
  db.model<EmailTokenRecord>('EmailToken', emailTokenSchema, 'email_tokens');

export const createEmailTokenUseModel = (db: Connection): EmailTokenUseModel =>
  db.model<EmailTokenUseRecord>('EmailTokenUse', emailTokenUseSchema, 'email_token_uses');
