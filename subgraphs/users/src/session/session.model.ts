import { Schema, type Connection, type HydratedDocument, type Model } from 'mongoose';

/**
 * One signed-in device: a family of refresh tokens, each exchanged for the next. The
 * session document is the source of truth: a token whose session is gone is worthless, so
 * revoking a session is deleting it (FerretDB has no TTL indexes, so "revoked" flags
 * would pile up for ever).
 */
export interface SessionRecord {
  userId: string;
  /** The client's address at sign-in, then at each refresh. */
  ip: string | null;
  lastUsedAt: Date;
  /** When its latest refresh token expires; an idle session lapses then. */
  expiresAt: Date;
  createdAt: Date;
}

export type SessionDocument = HydratedDocument<SessionRecord>;
export type SessionModel = Model<SessionRecord>;

const sessionSchema = new Schema<SessionRecord>(
  {
    userId: { type: String, required: true, index: true },
    ip: { type: String, default: null },
    lastUsedAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true, index: true },
    // Set by us, not by Mongoose's timestamps: from the same clock reading as lastUsedAt.
    createdAt: { type: Date, required: true },
  },
  { versionKey: false },
);

export const createSessionModel = (db: Connection): SessionModel =>
  db.model<SessionRecord>('Session', sessionSchema, 'sessions');
