import { rule } from 'graphql-shield';
import type { Identity } from '../auth/index.js';
import { unauthenticated } from '../errors/index.js';

/** Signed in, as asserted by the router. Answers UNAUTHENTICATED, not a bare FORBIDDEN. */
export const isSignedIn = rule({ cache: 'contextual' })((_parent, _args, context: { identity: Identity | null }) =>
  context.identity ? true : unauthenticated(),
);
