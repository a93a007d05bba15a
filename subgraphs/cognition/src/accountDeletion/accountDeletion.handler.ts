import type { AccountDeletionHandler } from '#internal/events';

/**
 * What the cognition domain does when an account is deleted: nothing is kept per user yet.
 * It consumes and acknowledges every deletion all the same, so that conversations, runs and
 * keys kept per user later are removed here from the first day they exist.
 */
export const removeAccountCognition = (): AccountDeletionHandler => () => Promise.resolve();
