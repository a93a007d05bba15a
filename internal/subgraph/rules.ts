import { isDeepStrictEqual } from 'node:util';
import { rule } from 'graphql-shield';
import type { FanOutScope, Identity } from '#internal/auth';
import { forbidden, unauthenticated } from '#internal/errors';

/** Signed in, as asserted by the router. Answers UNAUTHENTICATED, not a bare FORBIDDEN. */
export const isSignedIn = rule({ cache: 'contextual' })((_parent, _args, context: { identity: Identity | null }) =>
  context.identity ? true : unauthenticated(),
);

/**
 * Signed in, or the router subscribing for many to exactly what its guard approved: a
 * `@fanOut` subscription's events do not depend on who reads them, and the router runs
 * the field's guard as each subscriber. The scope names the field and the guarded
 * arguments, so an operation that reaches a subgraph with anything else (another field,
 * another flow) is refused here even if the router was fooled.
 */
export const isSignedInOrFanOut = rule({ cache: 'no_cache' })((
  _parent,
  args: Record<string, unknown>,
  context: { identity: Identity | null; fanOut: FanOutScope | null },
  info,
) => {
  if (context.identity) return true;
  const scope = context.fanOut;
  if (!scope) return unauthenticated();
  const approved =
    scope.field === info.fieldName &&
    Object.entries(scope.args).every(([name, value]) => isDeepStrictEqual(args[name], value));
  return approved || forbidden('This stream was not approved for this field and these arguments.');
});

/** One of the named services, calling on its own account (never a user's request). */
export const isService = (...services: string[]) =>
  rule({ cache: 'contextual' })((_parent, _args, context: { service?: string | null }) =>
    context.service && services.includes(context.service) ? true : forbidden(),
  );
