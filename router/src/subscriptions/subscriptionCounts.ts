import { GraphQLError } from 'graphql';
import { ErrorCode } from '#internal/errors';
import type { RouterContext } from '../context.js';
import type { SocketLimitConfig } from '../limits/config.js';

const tooMany = (limit: number, per: string): GraphQLError =>
  new GraphQLError(`Too many subscriptions: at most ${limit} ${per}. Complete one before starting another.`, {
    extensions: { code: ErrorCode.RATE_LIMITED, reason: 'TOO_MANY_SUBSCRIPTIONS', limit },
  });

/**
 * The subscriptions each socket and each user (each address, when anonymous) hold open
 * on this router instance, against their caps: every one may hold an upstream
 * connection and a queue, so one client must not open thousands.
 */
export class SubscriptionCounts {
  private readonly bySocket = new Map<object, Map<string, string>>();
  private readonly byCaller = new Map<string, number>();

  constructor(private readonly limits: SocketLimitConfig) {}

  /** Counts subscription `id` on `socket`; the refusal when a cap is reached (then nothing is counted). */
  open(socket: object, id: string, context: RouterContext): GraphQLError | undefined {
    const caller = context.identity ? `user:${context.identity.userId}` : `ip:${context.clientIp ?? 'unknown'}`;
    const open = this.bySocket.get(socket) ?? new Map<string, string>();
    const { subscriptionsPerSocket, subscriptionsPerUser } = this.limits;
    if (subscriptionsPerSocket > 0 && open.size >= subscriptionsPerSocket) {
      return tooMany(subscriptionsPerSocket, 'open on one connection');
    }
    const held = this.byCaller.get(caller) ?? 0;
    if (subscriptionsPerUser > 0 && held >= subscriptionsPerUser) {
      return tooMany(subscriptionsPerUser, context.identity ? 'open by one user' : 'open from one address');
    }
    open.set(id, caller);
    this.bySocket.set(socket, open);
    this.byCaller.set(caller, held + 1);
    return undefined;
  }

  /** Subscription `id` ended (completed by either side, or refused after it was counted). */
  close(socket: object, id: string): void {
    const open = this.bySocket.get(socket);
    const caller = open?.get(id);
    if (!open || caller === undefined) return;
    open.delete(id);
    if (open.size === 0) this.bySocket.delete(socket);
    const held = (this.byCaller.get(caller) ?? 1) - 1;
    if (held > 0) this.byCaller.set(caller, held);
    else this.byCaller.delete(caller);
  }

  /** The socket closed: whatever it held is released. */
  closeAll(socket: object): void {
    for (const id of [...(this.bySocket.get(socket)?.keys() ?? [])]) this.close(socket, id);
  }
}
