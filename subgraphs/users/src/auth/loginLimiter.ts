import { createHash } from 'node:crypto';
import type { Types } from 'mongoose';
import { AppError, ErrorCode } from '../../../../internal/errors/index.js';
import type { LoginAttemptModel } from './loginAttempt.model.js';

export interface LoginLimits {
  /** Failed attempts on one account within the window before it is refused. */
  perAccount: number;
  /** Failed attempts from one address, whatever the accounts, within the window. */
  perIp: number;
  windowSeconds: number;
}

// Per account is the brute-force defence proper. Per address is against spraying a few
// guesses over many accounts; it is looser because offices and carrier NAT put many users
// behind one address (and every end-to-end test comes from 127.0.0.1).
export const DEFAULT_LOGIN_LIMITS: LoginLimits = { perAccount: 5, perIp: 50, windowSeconds: 15 * 60 };

/** An attempt let through: report how the password check went. */
export interface LoginAttempt {
  /** Right password: the account's failures are forgotten (the address's are not). */
  succeeded(): Promise<void>;
  /** Wrong password (or no such account): the attempt stays counted. */
  failed(): Promise<void>;
}

export const rateLimited = (retryAfterSeconds: number): AppError =>
  new AppError(ErrorCode.RATE_LIMITED, 'Too many failed attempts; try again later.', { retryAfterSeconds });

// Hashed so that what people type into the email field (sometimes their password) is
// not kept in the clear; unknown emails are counted like known ones.
const accountKey = (email: string): string => `account:${createHash('sha256').update(email).digest('hex')}`;
const ipKey = (ip: string | null): string => `ip:${ip ?? 'unknown'}`;

/**
 * Sliding-window limits on failed log-ins, in MongoDB so that every replica of the
 * subgraph shares them.
 *
 * Concurrency: each attempt inserts its own record *before* the password is checked,
 * then counts the others. Inserts cannot be lost the way increments of a shared counter
 * can (FerretDB does not apply updates atomically), and since an attempt sees every
 * attempt inserted before it, a burst of parallel guesses is let through only up to the
 * limit rather than all passing one stale check.
 */
export class LoginLimiter {
  constructor(
    private readonly attempts: LoginAttemptModel,
    private readonly limits: LoginLimits = DEFAULT_LOGIN_LIMITS,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Starts an attempt on `email` from `ip`, or throws RATE_LIMITED (with
   * `retryAfterSeconds`) when either has failed too often: then the password must not be
   * checked at all, and the answer is the same whether the account exists or not.
   */
  async begin(email: string, ip: string | null): Promise<LoginAttempt> {
    const at = new Date(this.now());
    const account = accountKey(email);
    const address = ipKey(ip);
    const [accountAttempt, ipAttempt] = await this.attempts.insertMany([
      { key: account, at },
      { key: address, at },
    ]);
    if (!accountAttempt || !ipAttempt) throw new Error('login_attempts: insert returned no documents');
    const own = [accountAttempt._id, ipAttempt._id];
    const waits = await Promise.all([
      this.secondsToWait(account, this.limits.perAccount, at, own),
      this.secondsToWait(address, this.limits.perIp, at, own),
    ]);
    const retryAfterSeconds = Math.max(...waits);
    if (retryAfterSeconds > 0) {
      // A refused attempt does not count: retrying while refused does not extend the wait.
      await this.attempts.deleteMany({ _id: { $in: own } });
      throw rateLimited(retryAfterSeconds);
    }
    return {
      succeeded: async () => {
        await this.attempts.deleteMany({ $or: [{ key: account }, { _id: ipAttempt._id }] });
      },
      failed: async () => {
        await this.attempts.deleteMany({ key: { $in: [account, address] }, at: { $lte: this.windowStart(at) } });
      },
    };
  }

  /** 0 when `key` has fewer than `limit` other attempts in the window, else when the oldest counted one leaves it. */
  private async secondsToWait(key: string, limit: number, at: Date, own: Types.ObjectId[]): Promise<number> {
    const recent = await this.attempts
      .find({ key, at: { $gt: this.windowStart(at) }, _id: { $nin: own } }, { at: 1 })
      .sort({ at: -1 })
      .limit(limit)
      .lean();
    const oldestCounted = recent[limit - 1];
    if (!oldestCounted) return 0;
    const leavesAt = oldestCounted.at.getTime() + this.limits.windowSeconds * 1000;
    return Math.max(1, Math.ceil((leavesAt - at.getTime()) / 1000));
  }

  private windowStart(at: Date): Date {
    return new Date(at.getTime() - this.limits.windowSeconds * 1000);
  }
}
