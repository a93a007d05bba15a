import type { Identity } from '#internal/auth';
import type { SubscriptionModel } from './subscription/subscription.model.js';

export interface BillingContext {
  identity: Identity | null;
  mode: 'stripe' | 'offline';
  subscriptions: SubscriptionModel;
}
