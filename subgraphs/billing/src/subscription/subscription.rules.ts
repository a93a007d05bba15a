import { allow } from 'graphql-shield';
import { isSignedIn } from '../../../../internal/subgraph/index.js';

export const subscriptionRules = {
  Query: { mySubscription: isSignedIn },
  // Only the caller's own subscription is ever loaded.
  BillingSubscription: allow,
};
