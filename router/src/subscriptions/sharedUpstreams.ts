import { GraphQLError, type ExecutionResult } from 'graphql';
import { ErrorCode } from '#internal/errors';
import type { Upstream } from './upstream.js';

/**
 * One upstream event as every subscriber of a shared upstream gets it. Subscribers with
 * the same selection (and nothing completed per caller) share one completion of it.
 */
export class SharedEvent {
  private readonly completions = new Map<string, Promise<ExecutionResult>>();

  constructor(readonly value: ExecutionResult) {}

  /** `complete` once per `key`; every call when `key` is undefined (the result depends on the caller). */
  completeOnce(key: string | undefined, complete: () => Promise<ExecutionResult>): Promise<ExecutionResult> {
    if (key === undefined) return complete();
    let completion = this.completions.get(key);
    if (!completion) {
      completion = complete();
      this.completions.set(key, completion);
    }
    return completion;
  }
}

/** What a subscriber receives: an event, or the end of the upstream (with errors if it failed). */
export type Delivery = { event: SharedEvent } | { end: GraphQLError[] | undefined };

export const tooFarBehind = (queued: number): GraphQLError =>
  new GraphQLError(`This subscription fell ${queued} events behind and was ended; subscribe again.`, {
    extensions: { code: ErrorCode.CONFLICT, reason: 'TOO_FAR_BEHIND' },
  });

/**
 * One subscriber's side of a shared upstream: events wait here until its client takes
 * them. A client that cannot keep up is ended (its queue would grow without bound),
 * not allowed to slow down the others.
 */
export class Subscriber {
  private readonly queue: Delivery[] = [];
  private waiting: ((delivery: Delivery) => void) | undefined;
  private ended = false;

  constructor(private readonly maxQueued: number) {}

  push(delivery: Delivery): void {
    if (this.ended) return;
    if ('event' in delivery && this.queue.length >= this.maxQueued) {
      const queued = this.queue.length;
      this.queue.length = 0;
      delivery = { end: [tooFarBehind(queued)] };
    }
    if ('end' in delivery) this.ended = true;
    const waiting = this.waiting;
    if (waiting) {
      this.waiting = undefined;
      waiting(delivery);
    } else this.queue.push(delivery);
  }

  take(): Promise<Delivery> {
    const next = this.queue.shift();
    if (next) return Promise.resolve(next);
    return new Promise((resolve) => (this.waiting = resolve));
  }
}

/** One shared upstream and who it serves; `closing` once it is being closed. */
interface Shared {
  upstream: Upstream;
  subscribers: Set<Subscriber>;
  closing?: Promise<void>;
}

/**
 * Upstream subscriptions shared by key: the first subscriber of a key opens one, every
 * event goes to all its subscribers, and the last to leave closes it.
 */
export class SharedUpstreams {
  private readonly upstreams = new Map<string, Shared>();

  constructor(private readonly toErrors: (error: unknown) => GraphQLError[]) {}

  /** Open upstreams and their subscribers, for metrics. */
  get size(): { upstreams: number; subscribers: number } {
    let subscribers = 0;
    for (const shared of this.upstreams.values()) subscribers += shared.subscribers.size;
    return { upstreams: this.upstreams.size, subscribers };
  }

  /** Adds `subscriber` to the upstream of `key` (opened with `open` if there is none); returns how to leave. */
  join(key: string, subscriber: Subscriber, open: () => Upstream): () => Promise<void> {
    let shared = this.upstreams.get(key);
    if (!shared) {
      const created: Shared = { upstream: open(), subscribers: new Set() };
      this.upstreams.set(key, created);
      void this.pump(key, created);
      shared = created;
    }
    shared.subscribers.add(subscriber);
    const joined = shared;
    return async () => {
      if (!joined.subscribers.delete(subscriber) || joined.subscribers.size > 0) return;
      await this.close(key, joined);
    };
  }

  private async pump(key: string, shared: Shared): Promise<void> {
    let end: GraphQLError[] | undefined;
    try {
      for (;;) {
        const next = await shared.upstream.events.next();
        if (next.done) break;
        const event = new SharedEvent(next.value);
        for (const subscriber of shared.subscribers) subscriber.push({ event });
      }
    } catch (error) {
      end = this.toErrors(error);
    }
    for (const subscriber of shared.subscribers) subscriber.push({ end });
    await this.close(key, shared);
  }

  /** Once: whoever joins from now on gets a new upstream. */
  private close(key: string, shared: Shared): Promise<void> {
    if (this.upstreams.get(key) === shared) this.upstreams.delete(key);
    shared.closing ??= shared.upstream.close();
    return shared.closing;
  }
}
