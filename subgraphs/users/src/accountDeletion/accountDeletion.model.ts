import { Schema, type Connection, type Model } from 'mongoose';

/**
 * An account whose deletion was asked for, by the account's id: written before the user
 * goes and kept for good (the id and a date, nothing else), so that what other domains
 * keep in the user's name (a workspace flow's creator, a version's author) resolves to a
 * "Deleted user" instead of nothing. While the user still exists it means nothing.
 */
export interface AccountDeletionRecord {
  _id: string;
  requestedAt: Date;
}

/**
 * The deletion event as one consumer (a domain that keeps content per user) has yet to
 * see it: written with the record above, before the user goes; served once the user is
 * gone; deleted when that consumer acknowledges it. One document per consumer and account,
 * so that acknowledgements never update a shared document (the embedded engine rewrites
 * whole documents on update, and two at once could lose one).
 */
export interface AccountDeletionDeliveryRecord {
  /** `deliveryId(consumer, userId)`. */
  _id: string;
  consumer: string;
  userId: string;
  requestedAt: Date;
}

export type AccountDeletionModel = Model<AccountDeletionRecord>;
export type AccountDeletionDeliveryModel = Model<AccountDeletionDeliveryRecord>;

export const deliveryId = (consumer: string, userId: string): string => `${consumer}:${userId}`;

const deletionSchema = new Schema<AccountDeletionRecord>(
  {
    _id: { type: String, required: true },
    requestedAt: { type: Date, required: true },
  },
  { versionKey: false },
);

const deliverySchema = new Schema<AccountDeletionDeliveryRecord>(
  {
    _id: { type: String, required: true },
    consumer: { type: String, required: true },
    userId: { type: String, required: true },
    requestedAt: { type: Date, required: true },
  },
  { versionKey: false },
);
// The feed: one consumer's deliveries, oldest first, by keyset. Acknowledged ones are
// deleted, so the collection holds only what is not acknowledged yet.
deliverySchema.index({ consumer: 1, requestedAt: 1, _id: 1 });

export const createAccountDeletionModel = (db: Connection): AccountDeletionModel =>
  db.model<AccountDeletionRecord>('AccountDeletion', deletionSchema, 'account_deletions');

export const createAccountDeletionDeliveryModel = (db: Connection): AccountDeletionDeliveryModel =>
  db.model<AccountDeletionDeliveryRecord>('AccountDeletionDelivery', deliverySchema, 'account_deletion_deliveries');
