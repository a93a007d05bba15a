import type { AccountDeletionHandler } from '#internal/events';
import type { SubscriptionModel } from '../subscription/subscription.model.js';

/**
 * What the billing domain does when an account is deleted: the user's subscription record
 * goes. Nothing is cancelled at Stripe yet (there is no live Stripe integration); when
 * there is, the subscription is cancelled there first, then the record goes.
 */
export const removeAccountSubscription =
  (subscriptions: SubscriptionModel): AccountDeletionHandler =>
  async ({ userId }) => {
    await subscriptions.deleteOne({ userId });
  };
