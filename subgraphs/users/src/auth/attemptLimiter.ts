import type { Types } from 'mongoose';
import { AppError, ErrorCode } from '#internal/errors';
import type { AttemptModel } from './attempt.model.js';

/** A sliding-window limit: at most `limit` attempts of one subject within `windowSeconds`. */
export interface LimitRule {
  /** Prefix of the rule's keys in the store, e.g. `account` or `signup-ip`. */
  name: string;
  /** Attempts within the window after which the next is refused; 0 turns the rule off. */
  limit: number;
  windowSeconds: number;
}

/** What an attempt counts against: a rule, and whom under it (an address, a hashed email). */
export interface Counted {
  rule: LimitRule;
  subject: string;
}

/** An attempt let through, counted under each of its rules until told otherwise. */
export interface CountedAttempt {
  /** Stops counting this attempt under `rule`. */
  uncount(rule: LimitRule): Promise<void>;
  /** Forgets every attempt of this subject under `rule`, this one included. */
  clear(rule: LimitRule): Promise<void>;
  /** Leaves the attempt counted, and deletes the subjects' attempts that have left the window. */
  keep(): Promise<void>;
}

export const rateLimited = (retryAfterSeconds: number, message = 'Too many attempts; try again later.'): AppError =>
  new AppError(ErrorCode.RATE_LIMITED, message, { retryAfterSeconds });

interface Keyed {
  rule: LimitRule;
  key: string;
  own: Types.ObjectId;
}

/**
 * Sliding-window limits on attempts (log-ins, sign-ups), in MongoDB so that every replica
 * of the subgraph shares them. One limiter for every kind of attempt; each caller names
 * the rules an attempt counts against.
 *
 * Concurrency: each attempt inserts its own records *before* it is let through, then counts
 * the others. Inserts cannot be lost the way increments of a shared counter can (FerretDB
 * does not apply updates atomically), and since an attempt sees every attempt inserted
 * before it, a burst of parallel attempts is let through only up to the limit rather than
 * all passing one stale check.
 */
export class AttemptLimiter {
  constructor(
    private readonly attempts: AttemptModel,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Records an attempt under each rule of `counted` that is on, or throws RATE_LIMITED
   * (with `retryAfterSeconds`, and `refusal` as its message) when any of them has reached
   * its limit: then the attempt must not go ahead, and it is not counted.
   */
  async begin(counted: Counted[], refusal?: string): Promise<CountedAttempt> {
    const on = counted.filter(({ rule }) => rule.limit > 0);
    const at = new Date(this.now());
    const inserted =
      on.length > 0
        ? await this.attempts.insertMany(on.map(({ rule, subject }) => ({ key: `${rule.name}:${subject}`, at })))
        : [];
    const keyed: Keyed[] = on.map(({ rule }, index) => {
      const record = inserted[index];
      if (!record) throw new Error('login_attempts: insert returned too few documents');
      return { rule, key: record.key, own: record._id };
    });
    const own = keyed.map((entry) => entry.own);
    const waits = await Promise.all(keyed.map((entry) => this.secondsToWait(entry, at, own)));
    const retryAfterSeconds = Math.max(0, ...waits);
    if (retryAfterSeconds > 0) {
      // A refused attempt does not count: retrying while refused does not extend the wait.
      await this.attempts.deleteMany({ _id: { $in: own } });
      throw rateLimited(retryAfterSeconds, refusal);
    }
    const under = (rule: LimitRule): Keyed | undefined => keyed.find((entry) => entry.rule === rule);
    return {
      uncount: async (rule) => {
        const entry = under(rule);
        if (entry) await this.attempts.deleteOne({ _id: entry.own });
      },
      clear: async (rule) => {
        const entry = under(rule);
        if (entry) await this.attempts.deleteMany({ key: entry.key });
      },
      keep: async () => {
        if (keyed.length === 0) return;
        await this.attempts.deleteMany({
          $or: keyed.map(({ rule, key }) => ({ key, at: { $lte: windowStart(at, rule) } })),
        });
      },
    };
  }

  /** 0 when the key has fewer than `limit` other attempts in the window, else when the oldest counted one leaves it. */
  private async secondsToWait({ rule, key }: Keyed, at: Date, own: Types.ObjectId[]): Promise<number> {
    const recent = await this.attempts
      .find({ key, at: { $gt: windowStart(at, rule) }, _id: { $nin: own } }, { at: 1 })
      .sort({ at: -1 })
      .limit(rule.limit)
      .lean();
    const oldestCounted = recent[rule.limit - 1];
    if (!oldestCounted) return 0;
    const leavesAt = oldestCounted.at.getTime() + rule.windowSeconds * 1000;
    return Math.max(1, Math.ceil((leavesAt - at.getTime()) / 1000));
  }
}

const windowStart = (at: Date, rule: LimitRule): Date => new Date(at.getTime() - rule.windowSeconds * 1000);
