import type { Identity } from '../../internal/auth/index.js';

/** What travels with every operation through the router. */
export interface RouterContext {
  /** The caller, verified by the router; null when anonymous. */
  identity: Identity | null;
  /** The router's signed assertion of `identity` for the subgraphs (null when anonymous), made once per operation. */
  identityAssertion: () => Promise<string | null>;
}
