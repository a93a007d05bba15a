import { Schema, type Connection, type Model } from 'mongoose';

/**
 * One log-in attempt that counts against a key (`account:<sha-256 of the email>` or
 * `ip:<address>`): recorded before the password is checked, kept when it was wrong.
 * FerretDB has no TTL indexes: readers ignore records older than the window, and the
 * limiter deletes a key's stale ones as it goes.
 */
export interface LoginAttemptRecord {
  key: string;
  at: Date;
}

export type LoginAttemptModel = Model<LoginAttemptRecord>;

const loginAttemptSchema = new Schema<LoginAttemptRecord>(
  {
    key: { type: String, required: true },
    at: { type: Date, required: true },
  },
  { versionKey: false },
);
// "The newest attempts of this key": one index walk per check.
loginAttemptSchema.index({ key: 1, at: -1 });

export const createLoginAttemptModel = (db: Connection): LoginAttemptModel =>
  db.model<LoginAttemptRecord>('LoginAttempt', loginAttemptSchema, 'login_attempts');
