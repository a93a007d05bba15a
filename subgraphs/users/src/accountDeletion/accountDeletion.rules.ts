import { allow } from 'graphql-shield';
import { isService } from '#internal/subgraph';
import { ACCOUNT_DELETION_CONSUMERS } from './accountDeletion.service.js';

// Only the consuming services, each on its own account: the resolvers take the consumer
// from the verified assertion (`context.service`), so a service reads and acknowledges its
// own deliveries and nobody else's.
const consumer = isService(...ACCOUNT_DELETION_CONSUMERS);

export const accountDeletionRules = {
  Query: { pendingAccountDeletions: consumer },
  Mutation: { acknowledgeAccountDeletion: consumer },
  AccountDeletionPage: allow,
  AccountDeletionEvent: allow,
};
