import { allow } from 'graphql-shield';
import { isSignedIn } from '#internal/subgraph';

export const subscriptionRules = {
  Query: { mySubscription: isSignedIn },
  // Only the caller's own subscription is ever loaded.
  BillingSubscription: allow,
};
