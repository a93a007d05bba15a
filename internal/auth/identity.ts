/** Who is calling, as proven by a verified access token. */
export interface Identity {
  userId: string;
  /** Scopes granted to the token (`scope` claim, space-separated), for `@requiresScopes`. */
  scopes?: readonly string[];
  /** The session the access token belongs to (`sid` claim): signing out, listing sessions. */
  sessionId?: string;
  /** When the access token stops being valid (`exp` claim, epoch seconds): long-lived subscriptions end then. */
  expiresAt?: number;
}
