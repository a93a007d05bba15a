import type { WebSocket } from 'ws';

/** Open sockets by the session they signed in with. */
export class SocketsBySession {
  private readonly sockets = new Map<string, Map<object, WebSocket>>();
  private readonly sessionOf = new WeakMap<object, string>();

  add(sessionId: string, socket: WebSocket, ctx: object): void {
    const open = this.sockets.get(sessionId) ?? new Map<object, WebSocket>();
    open.set(ctx, socket);
    this.sockets.set(sessionId, open);
    this.sessionOf.set(ctx, sessionId);
  }

  remove(ctx: object): void {
    const sessionId = this.sessionOf.get(ctx);
    const open = sessionId === undefined ? undefined : this.sockets.get(sessionId);
    open?.delete(ctx);
    if (sessionId !== undefined && open?.size === 0) this.sockets.delete(sessionId);
  }

  /** The sockets of these sessions, forgotten. */
  take(sessionIds: readonly string[]): WebSocket[] {
    return sessionIds.flatMap((id) => {
      const open = this.sockets.get(id);
      this.sockets.delete(id);
      return [...(open?.values() ?? [])];
    });
  }
}
