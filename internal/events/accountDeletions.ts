import type { Connection } from 'mongoose';
import { Counter, type Registry } from 'prom-client';
import type { UsersApi } from '#internal/usersApi';
import type { Logger } from '#internal/logger';
import { AccountDeletionFeed, type AccountDeletionEvent } from './accountDeletionFeed.js';
import { ProcessedEvents } from './processedEvents.js';

/**
 * What a domain does when an account is deleted. Must be idempotent: it runs again if the
 * service stops after it ran but before the event is remembered as processed.
 */
export type AccountDeletionHandler = (event: AccountDeletionEvent) => Promise<void>;

export interface AccountDeletionConsumerOptions {
  /** The users domain, called as this service: whose deliveries it reads. */
  users: UsersApi;
  /** This service's own database, where processed events are remembered. */
  db: Connection;
  handle: AccountDeletionHandler;
  logger: Logger;
  /** The service's metrics registry (`/metrics`). */
  registry: Registry;
  /** Time between two polls of the feed. @default 5000 */
  pollMs?: number;
  /** Events asked for at a time. @default 50 */
  pageSize?: number;
  /** Wait before the first retry after a failure, doubled on each failure in a row. @default 1000 */
  backoffMs?: number;
  /** The longest wait between retries. @default 60000 */
  maxBackoffMs?: number;
}

export interface AccountDeletionConsumer {
  /** Polls now (or once more right after the poll under way); resolves when that poll is done. */
  poll: () => Promise<void>;
  /** Stops polling and waits for the event being processed, if any. */
  dispose: () => Promise<void>;
}

/** Outcome of one delivery, as counted on `/metrics`. */
type Outcome = 'processed' | 'duplicate' | 'failed';

/** The feed failed: the poll stops and is retried as a whole. */
class FeedFailure extends Error {}

/** Feed failures in a row logged at `info` before they are worth a warning (users starting up). */
const QUIET_FAILURES = 3;

/**
 * Consumes the users domain's account-deletion events: polls this service's deliveries on
 * start and every `pollMs`, runs `handle` for each one not processed yet, remembers it as
 * processed (`ProcessedEvents`, in this service's own database), and acknowledges it.
 * Whatever happens in between, the effect is once: the handler is idempotent, and an event
 * delivered again after a stop before its acknowledgement is only acknowledged.
 *
 * Nothing is lost: an event stays in the users domain until acknowledged, so a service that
 * was down catches up when it comes back. A handler that fails is logged and tried again
 * with growing waits while the events behind it go on; a feed that cannot be reached is
 * polled again the same way.
 */
export function startAccountDeletionConsumer(options: AccountDeletionConsumerOptions): AccountDeletionConsumer {
  const consumer = new Consumer(options);
  void consumer.poll();
  return { poll: () => consumer.poll(), dispose: () => consumer.dispose() };
}

class Consumer {
  private readonly feed: AccountDeletionFeed;
  private readonly processed: ProcessedEvents;
  private readonly outcomes: Counter<'outcome'>;
  private readonly feedFailures: Counter;
  private readonly stopping = new AbortController();
  private readonly pollMs: number;
  private readonly pageSize: number;
  private readonly backoffMs: number;
  private readonly maxBackoffMs: number;
  /** Events whose handler failed: how often in a row, and not before when to try again. */
  private readonly retries = new Map<string, { failures: number; at: number }>();
  private failuresInARow = 0;
  private running: Promise<void> | undefined;
  private pollAgain = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: AccountDeletionConsumerOptions) {
    this.feed = new AccountDeletionFeed(options.users, this.stopping.signal);
    this.processed = new ProcessedEvents(options.db, 'account-deletion');
    this.pollMs = options.pollMs ?? 5_000;
    this.pageSize = options.pageSize ?? 50;
    this.backoffMs = options.backoffMs ?? 1_000;
    this.maxBackoffMs = options.maxBackoffMs ?? 60_000;
    this.outcomes = new Counter({
      name: 'account_deletion_events_total',
      help: 'Account-deletion events handled by this service, by outcome (processed, duplicate: seen before, failed: retried).',
      labelNames: ['outcome'] as const,
      registers: [options.registry],
    });
    this.feedFailures = new Counter({
      name: 'account_deletion_feed_failures_total',
      help: 'Polls of the account-deletion feed that failed (users unreachable or refusing); retried with backoff.',
      registers: [options.registry],
    });
    for (const outcome of ['processed', 'duplicate', 'failed'] as const) this.outcomes.inc({ outcome }, 0);
  }

  poll(): Promise<void> {
    if (this.stopping.signal.aborted) return Promise.resolve();
    if (this.running) {
      this.pollAgain = true;
      return this.running;
    }
    clearTimeout(this.timer);
    const run = this.pass().then((waitMs) => {
      this.running = undefined;
      if (this.pollAgain) {
        this.pollAgain = false;
        return this.poll();
      }
      this.schedule(waitMs);
      return undefined;
    });
    this.running = run;
    return run;
  }

  async dispose(): Promise<void> {
    this.stopping.abort();
    clearTimeout(this.timer);
    await this.running;
  }

  private schedule(waitMs: number): void {
    if (this.stopping.signal.aborted) return;
    this.timer = setTimeout(() => void this.poll(), waitMs);
    this.timer.unref();
  }

  /** Reads every page of the feed and handles what is due; the wait before the next pass. */
  private async pass(): Promise<number> {
    try {
      let after: string | null = null;
      for (;;) {
        const page = await this.fromFeed(() => this.feed.pending(this.pageSize, after));
        for (const event of page.events) {
          if (this.stopping.signal.aborted) return 0;
          await this.deliver(event);
        }
        if (!page.hasNextPage || this.stopping.signal.aborted) break;
        after = page.endCursor;
      }
      this.failuresInARow = 0;
      const nextRetry = Math.min(...[...this.retries.values()].map((retry) => retry.at));
      return Math.max(0, Math.min(this.pollMs, nextRetry - Date.now()));
    } catch (error) {
      if (this.stopping.signal.aborted) return 0;
      this.failuresInARow += 1;
      this.feedFailures.inc();
      const cause = error instanceof FeedFailure ? error.cause : error;
      // Users starting or stopping alongside is routine: a line, not a stack, until it lasts.
      if (this.failuresInARow > QUIET_FAILURES) {
        this.options.logger.warn({ err: cause, failures: this.failuresInARow }, 'account-deletion feed unavailable');
      } else {
        this.options.logger.debug(
          { reason: (cause as Error).message, failures: this.failuresInARow },
          'account-deletion feed unavailable; polling again later',
        );
      }
      return this.backoff(this.failuresInARow);
    }
  }

  /** Handles one event unless it was processed before, then acknowledges it. */
  private async deliver(event: AccountDeletionEvent): Promise<void> {
    const retry = this.retries.get(event.id);
    if (retry && retry.at > Date.now()) return;
    let outcome: Outcome;
    try {
      if (await this.processed.has(event.id)) {
        outcome = 'duplicate';
      } else {
        await this.options.handle(event);
        outcome = (await this.processed.add(event.id)) ? 'processed' : 'duplicate';
      }
    } catch (error) {
      const failures = (retry?.failures ?? 0) + 1;
      this.retries.set(event.id, { failures, at: Date.now() + this.backoff(failures) });
      this.outcomes.inc({ outcome: 'failed' });
      this.options.logger.error(
        { err: error, eventId: event.id, failures },
        'account deletion not processed; trying again later',
      );
      return;
    }
    this.retries.delete(event.id);
    this.outcomes.inc({ outcome });
    if (outcome === 'processed') this.options.logger.info({ eventId: event.id }, 'account deletion processed');
    // Acknowledged only once remembered: a stop before this line means a redelivery, which is only acknowledged.
    await this.fromFeed(() => this.feed.acknowledge(event.id));
  }

  private async fromFeed<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      throw new FeedFailure('the account-deletion feed failed', { cause: error });
    }
  }

  private backoff(failures: number): number {
    return Math.min(this.maxBackoffMs, this.backoffMs * 2 ** Math.min(failures - 1, 30));
  }
}
