import { Schema, type Connection, type Model } from 'mongoose';

/**
 * One attempt that counts against a key, `<rule>:<subject>` (e.g. `account:<sha-256 of the
 * email>`, `ip:<address>`, `signup-ip:<address>`): recorded before the attempt is let
 * through (see AttemptLimiter). FerretDB has no TTL indexes: readers ignore records older
 * than their rule's window, and the limiter deletes a key's stale ones as it goes.
 */
export interface AttemptRecord {
  key: string;
  at: Date;
}

export type AttemptModel = Model<AttemptRecord>;

const attemptSchema = new Schema<AttemptRecord>(
  {
    key: { type: String, required: true },
    at: { type: Date, required: true },
  },
  { versionKey: false },
);
// "The newest attempts of this key": one index walk per check.
attemptSchema.index({ key: 1, at: -1 });

// Named when it held log-ins only; kept, so that counters survive an upgrade.
export const createAttemptModel = (db: Connection): AttemptModel =>
  db.model<AttemptRecord>('Attempt', attemptSchema, 'login_attempts');
