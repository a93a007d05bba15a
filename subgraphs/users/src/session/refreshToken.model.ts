import { Schema, type Connection, type Model } from 'mongoose';

/** Every refresh token a session was given, by the SHA-256 of its secret. */
export interface RefreshTokenRecord {
  /** The secret's SHA-256 (hex): the token's id. */
  _id: string;
  sessionId: string;
  expiresAt: Date;
  createdAt: Date;
}

/**
 * The refresh tokens already exchanged, by token id. Inserting here is how a token is
 * spent: the `_id` index is unique, so of any number of concurrent exchanges of one token
 * exactly one insert succeeds and every other one is a reuse. A filtered update ("set
 * usedAt where usedAt is null") would not do: FerretDB does not apply it atomically.
 *
 * These records outlive their session's revocation: an exchange that read the token just
 * before the revocation must still find it spent. They go once the token has expired.
 */
export interface RefreshTokenUseRecord {
  _id: string;
  sessionId: string;
  usedAt: Date;
  /** The spent token's expiry: after it the token is refused anyway. */
  expiresAt: Date;
}

export type RefreshTokenModel = Model<RefreshTokenRecord>;
export type RefreshTokenUseModel = Model<RefreshTokenUseRecord>;

const refreshTokenSchema = new Schema<RefreshTokenRecord>(
  {
    _id: { type: String, required: true },
    sessionId: { type: String, required: true, index: true },
    expiresAt: { type: Date, required: true, index: true },
  },
  { timestamps: { createdAt: true, updatedAt: false }, versionKey: false },
);

const refreshTokenUseSchema = new Schema<RefreshTokenUseRecord>(
  {
    _id: { type: String, required: true },
    sessionId: { type: String, required: true },
    usedAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true, index: true },
  },
  { versionKey: false },
);

export const createRefreshTokenModel = (db: Connection): RefreshTokenModel =>
  db.model<RefreshTokenRecord>('RefreshToken', refreshTokenSchema, 'refresh_tokens');

export const createRefreshTokenUseModel = (db: Connection): RefreshTokenUseModel =>
  db.model<RefreshTokenUseRecord>('RefreshTokenUse', refreshTokenUseSchema, 'refresh_token_uses');
