/** The pub/sub channel of session revocations: `{ sessionIds }`, for the router. */
export const SESSIONS_REVOKED = 'users:sessions-revoked';

export interface SessionsRevoked {
  sessionIds: string[];
}
