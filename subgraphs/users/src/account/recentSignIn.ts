import type { SessionModel } from '../session/session.model.js';

/** Whether a session signed in recently: how an account without a password confirms a sensitive change. */
export class RecentSignIn {
  constructor(
    private readonly sessions: SessionModel,
    readonly windowMinutes: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** True when `sessionId` is a live session of `userId` that signed in within the window. */
  async check(userId: string, sessionId: string | null): Promise<boolean> {
    if (!sessionId || !/^[a-f0-9]{24}$/.test(sessionId)) return false;
    // Refreshing keeps `createdAt`: it is when the session signed in.
    const session = await this.sessions.findOne({ _id: sessionId, userId }).lean();
    const now = this.now();
    return (
      session !== null &&
      session.expiresAt.getTime() > now &&
      now - session.createdAt.getTime() < this.windowMinutes * 60_000
    );
  }
}
