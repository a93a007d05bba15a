import { badUserInput } from '#internal/errors';

/** Unused links per user and purpose within an hour before no more are sent. */
export const MAX_UNUSED_LINKS = 3;
export const HOUR_MS = 3600_000;

export const badToken = (): Error => badUserInput('The link is invalid, expired or has been used already.', 'token');
