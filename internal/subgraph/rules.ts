import { rule } from 'graphql-shield';
import type { Identity } from '../auth/index.js';
import { unauthenticated } from '../errors/index.js';

/** Signed in, as asserted by the router. Answers UNAUTHENTICATED, not a bare FORBIDDEN. */
export const isSignedIn = rule({ cache: 'contextual' })((_parent, _args, context: { identity: Identity | null }) =>
  context.identity ? true : unauthenticated(),
);

/**
 * Signed in, or the router subscribing for many (only `@fanOut` subscriptions: the
 * router runs their guard as each subscriber, so such a subscription's events must not
 * depend on who reads them).
 */
export const isSignedInOrFanOut = rule({ cache: 'contextual' })(
  (_parent, _args, context: { identity: Identity | null; fanOut?: boolean }) =>
    context.identity || context.fanOut === true ? true : unauthenticated(),
);
