import type { EnvReader } from '#internal/config';

/** `ACCOUNT_DELETION_POLL_SECONDS`: how often a consuming service polls the account-deletion feed, in ms. */
export function readAccountDeletionPollMs(reader: EnvReader): number {
  const seconds = reader.count('ACCOUNT_DELETION_POLL_SECONDS', 5, 'seconds');
  if (seconds < 1) reader.report('ACCOUNT_DELETION_POLL_SECONDS must be at least 1 (seconds between polls)');
  return Math.max(1, seconds) * 1000;
}
