import type { Identity } from '#internal/auth';
import { unauthenticated } from '#internal/errors';
import type { UsersContext } from '../context.js';

/**
 * The caller, or UNAUTHENTICATED. The router already refuses anonymous callers of
 * `@authenticated` fields; this holds for anyone reaching the subgraph another way.
 */
export function requireIdentity(context: UsersContext): Identity {
  if (!context.identity) throw unauthenticated();
  return context.identity;
}
