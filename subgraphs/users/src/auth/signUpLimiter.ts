import type { AttemptLimiter, LimitRule } from './attemptLimiter.js';
import { emailHash } from './loginLimiter.js';

export interface SignUpLimits {
  /** Sign-ups from one client address per hour; 0 turns the limit off. @default 10 */
  perIp: number;
  /** Sign-ups with one email per hour, from any address; 0 turns the limit off. @default 5 */
  perAddress: number;
}

export const DEFAULT_SIGNUP_LIMITS: SignUpLimits = { perIp: 10, perAddress: 5 };
const HOUR_SECONDS = 3600;

/**
 * Sign-up answers CONFLICT for a registered address, so it tells whether an address has an
 * account: these limits bound how fast anyone can ask. Every attempt counts, whatever its
 * outcome; so does anything else that answers the same question (moving an account to a
 * new address).
 */
export class SignUpLimiter {
  private readonly ip: LimitRule;
  private readonly address: LimitRule;

  constructor(
    private readonly limiter: AttemptLimiter,
    limits: SignUpLimits = DEFAULT_SIGNUP_LIMITS,
  ) {
    this.ip = { name: 'signup-ip', limit: limits.perIp, windowSeconds: HOUR_SECONDS };
    this.address = { name: 'signup-address', limit: limits.perAddress, windowSeconds: HOUR_SECONDS };
  }

  /** Counts an attempt to register `email` from `ip`, or throws RATE_LIMITED with `retryAfterSeconds`. */
  async count(email: string, ip: string | null): Promise<void> {
    const attempt = await this.limiter.begin(
      [
        { rule: this.ip, subject: ip ?? 'unknown' },
        { rule: this.address, subject: emailHash(email) },
      ],
      'Too many sign-ups; try again later.',
    );
    await attempt.keep();
  }
}
