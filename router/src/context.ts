import type { Identity } from '../../internal/auth/index.js';

/** What travels with every operation through the router. */
export interface RouterContext {
  /** The caller, verified by the router; null when anonymous. */
  identity: Identity | null;
  /** The client's address. */
  clientIp: string | null;
  /** The router's signed assertion of identity and address for the subgraphs, made once per operation. */
  originAssertion: () => Promise<string>;
}
