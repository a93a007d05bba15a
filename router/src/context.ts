import type { GraphQLError } from 'graphql';
import type { Identity } from '#internal/auth';

/** What travels with every operation through the router. */
export interface RouterContext {
  /** The caller, verified by the router (with its token's expiry); null when anonymous. */
  identity: Identity | null;
  /** The client's address. */
  clientIp: string | null;
  /**
   * The router's signed assertion of identity and address for one subgraph (by name):
   * cached, and re-signed before it expires for subscriptions that fetch per event.
   */
  originAssertion: (subgraph: string) => Promise<string>;
  /**
   * Whether the caller's session is still live: undefined while it is (and always for
   * anonymous callers), the refusal once it was revoked. Cached; checked before each
   * subscription event.
   */
  stillSignedIn: () => Promise<GraphQLError | undefined>;
}
