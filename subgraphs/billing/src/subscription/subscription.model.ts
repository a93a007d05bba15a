import { Schema, type Connection, type HydratedDocument, type Model } from 'mongoose';

export interface SubscriptionRecord {
  userId: string;
  planId: string;
  status: string;
  currentPeriodEnd: Date | null;
  stripeSubscriptionId: string | null;
}

export type SubscriptionDocument = HydratedDocument<SubscriptionRecord>;
export type SubscriptionModel = Model<SubscriptionRecord>;

const subscriptionSchema = new Schema<SubscriptionRecord>(
  {
    userId: { type: String, required: true, unique: true },
    planId: { type: String, required: true },
    status: { type: String, required: true },
    currentPeriodEnd: { type: Date, default: null },
    stripeSubscriptionId: { type: String, default: null },
  },
  { timestamps: true, versionKey: false },
);

export const createSubscriptionModel = (db: Connection): SubscriptionModel =>
  db.model<SubscriptionRecord>('Subscription', subscriptionSchema, 'subscriptions');
