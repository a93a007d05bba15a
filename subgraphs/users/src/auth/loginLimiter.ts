import { createHash } from 'node:crypto';
import type { AttemptLimiter, LimitRule } from './attemptLimiter.js';

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

// Hashed so that what people type into the email field (sometimes their password) is
// not kept in the clear; unknown emails are counted like known ones.
export const emailHash = (email: string): string => createHash('sha256').update(email).digest('hex');

/** Limits on failed log-ins (and other password and code checks), per account and per address. */
export class LoginLimiter {
  private readonly account: LimitRule;
  private readonly ip: LimitRule;

  constructor(
    private readonly limiter: AttemptLimiter,
    limits: LoginLimits = DEFAULT_LOGIN_LIMITS,
  ) {
    this.account = { name: 'account', limit: limits.perAccount, windowSeconds: limits.windowSeconds };
    this.ip = { name: 'ip', limit: limits.perIp, windowSeconds: limits.windowSeconds };
  }

  /**
   * Starts an attempt on `email` from `ip`, or throws RATE_LIMITED (with
   * `retryAfterSeconds`) when either has failed too often: then the password must not be
   * checked at all, and the answer is the same whether the account exists or not.
   */
  async begin(email: string, ip: string | null): Promise<LoginAttempt> {
    const attempt = await this.limiter.begin(
      [
        { rule: this.account, subject: emailHash(email) },
        { rule: this.ip, subject: ip ?? 'unknown' },
      ],
      'Too many failed attempts; try again later.',
    );
    return {
      succeeded: async () => {
        await Promise.all([attempt.clear(this.account), attempt.uncount(this.ip)]);
      },
      failed: () => attempt.keep(),
    };
  }
}
