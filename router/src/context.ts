/** What travels with every operation through the router. */
export interface RouterContext {
  /** The caller's `Authorization` header (HTTP) or `connection_init` value (WebSocket). */
  authorization: string | undefined;
}
