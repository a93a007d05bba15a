import { EventEmitter } from 'node:events';
import { Redis } from 'ioredis';

/**
 * Publish/subscribe of JSON payloads by channel. In-process for a single instance;
 * Redis when `REDIS_URL` is set, so events reach subscribers on every instance.
 */
export interface PubSub {
  readonly kind: 'memory' | 'redis';
  publish(channel: string, payload: unknown): Promise<void>;
  /** An iterator of the payloads published on `channel` from now on; `return()` unsubscribes. */
  subscribe<T>(channel: string): AsyncIterableIterator<T>;
  close(): Promise<void>;
}

type Listener = (payload: unknown) => void;

/**
 * An async iterator from its `next` and a `finish` that ends it (idempotent): `return()`
 * finishes, `throw()` finishes and rethrows. Hand-written iterators rather than async
 * generators: a generator parked on an await cannot run `return()` until it resumes.
 */
export function finishableIterator<T>(
  next: () => Promise<IteratorResult<T>>,
  finish: () => Promise<IteratorResult<T>>,
): AsyncIterableIterator<T> {
  return {
    next,
    return: finish,
    throw: async (error: unknown) => {
      await finish();
      throw error;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

/** Turns push callbacks into a pull iterator with an unbounded queue. */
function iteratorFrom<T>(attach: (push: Listener) => () => void): AsyncIterableIterator<T> {
  const queue: T[] = [];
  const waiting: ((result: IteratorResult<T>) => void)[] = [];
  let done = false;
  const detach = attach((payload) => {
    const next = waiting.shift();
    if (next) next({ value: payload as T, done: false });
    else queue.push(payload as T);
  });
  const finish = (): Promise<IteratorResult<T>> => {
    if (!done) {
      done = true;
      detach();
      for (const resolve of waiting.splice(0)) resolve({ value: undefined, done: true });
    }
    return Promise.resolve({ value: undefined, done: true });
  };
  return finishableIterator(() => {
    if (queue.length > 0) return Promise.resolve({ value: queue.shift() as T, done: false });
    if (done) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => waiting.push(resolve));
  }, finish);
}

export function createMemoryPubSub(): PubSub {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  return {
    kind: 'memory',
    publish: (channel, payload) => {
      // Each subscriber gets its own copy, as it would from Redis.
      const json = JSON.stringify(payload);
      emitter.emit(channel, json);
      return Promise.resolve();
    },
    subscribe: <T>(channel: string) =>
      iteratorFrom<T>((push) => {
        const listener = (json: string): void => push(JSON.parse(json));
        emitter.on(channel, listener);
        return () => emitter.off(channel, listener);
      }),
    close: () => {
      emitter.removeAllListeners();
      return Promise.resolve();
    },
  };
}

export function createRedisPubSub(url: string, prefix = 'ufe:'): PubSub {
  const publisher = new Redis(url, { lazyConnect: false, maxRetriesPerRequest: 3 });
  const subscriber = new Redis(url, { lazyConnect: false });
  const listeners = new Map<string, Set<Listener>>();
  subscriber.on('message', (channel: string, message: string) => {
    const set = listeners.get(channel);
    if (!set) return;
    for (const listener of set) listener(JSON.parse(message));
  });
  return {
    kind: 'redis',
    publish: async (channel, payload) => {
      await publisher.publish(prefix + channel, JSON.stringify(payload));
    },
    subscribe: <T>(channel: string) =>
      iteratorFrom<T>((push) => {
        const key = prefix + channel;
        let set = listeners.get(key);
        if (!set) {
          set = new Set();
          listeners.set(key, set);
          void subscriber.subscribe(key);
        }
        set.add(push);
        return () => {
          set.delete(push);
          if (set.size === 0) {
            listeners.delete(key);
            void subscriber.unsubscribe(key);
          }
        };
      }),
    close: async () => {
      listeners.clear();
      await Promise.allSettled([publisher.quit(), subscriber.quit()]);
    },
  };
}

/** Calls `onClose` once when the consumer stops iterating (unsubscribe or disconnect). */
export function onClose<T>(iterator: AsyncIterableIterator<T>, onClose: () => void): AsyncIterableIterator<T> {
  let closed = false;
  const close = (): void => {
    if (!closed) {
      closed = true;
      onClose();
    }
  };
  return {
    next: () => iterator.next(),
    return: async (value?: unknown) => {
      close();
      return (await iterator.return?.(value)) ?? { value: undefined, done: true };
    },
    throw: async (error?: unknown) => {
      close();
      if (iterator.throw) return iterator.throw(error);
      throw error;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

/** `first`, then whatever `iterator` yields; ending it ends `iterator`. */
export function startingWith<T>(first: T, iterator: AsyncIterableIterator<T>): AsyncIterableIterator<T> {
  let sent = false;
  return finishableIterator(
    () => {
      if (sent) return iterator.next();
      sent = true;
      return Promise.resolve({ value: first, done: false });
    },
    async () => (await iterator.return?.()) ?? { value: undefined, done: true },
  );
}

/** What `checkEach` yields in place of an event the subscriber may no longer see. */
export const ACCESS_LOST = Symbol('access lost');

/**
 * Re-checks access before every event. When `allowed` says no, the subscriber gets
 * `ACCESS_LOST` once instead of the event (its resolver turns that into an error the
 * client sees) and then the end of the stream; the source is closed at once.
 */
export function checkEach<T>(
  iterator: AsyncIterableIterator<T>,
  allowed: () => Promise<boolean>,
): AsyncIterableIterator<T | typeof ACCESS_LOST> {
  let lost = false;
  return {
    next: async () => {
      if (lost) return { value: undefined, done: true };
      const result = await iterator.next();
      if (result.done || (await allowed())) return result;
      lost = true;
      await iterator.return?.();
      return { value: ACCESS_LOST, done: false };
    },
    return: async (value?: unknown) => (await iterator.return?.(value)) ?? { value: undefined, done: true },
    throw: async (error?: unknown) => {
      if (iterator.throw) return iterator.throw(error);
      throw error;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

export function createPubSub(redisUrl: string | undefined): PubSub {
  return redisUrl ? createRedisPubSub(redisUrl) : createMemoryPubSub();
}

/**
 * The same bus in the shape type-graphql's `buildSchema({ pubSub })` wants, with
 * `(routingKey, id)` mapped to the channel `routingKey:id`.
 */
export function asTypeGraphqlPubSub(pubsub: PubSub): {
  publish: (routingKey: string, ...args: unknown[]) => void;
  subscribe: (routingKey: string, dynamicId?: unknown) => AsyncIterable<unknown>;
} {
  const channel = (key: string, id: unknown): string => (id === undefined ? key : `${key}:${String(id)}`);
  return {
    publish: (routingKey, ...args) => {
      const [idOrPayload, payload] = args;
      void (args.length > 1
        ? pubsub.publish(channel(routingKey, idOrPayload), payload)
        : pubsub.publish(routingKey, idOrPayload));
    },
    subscribe: (routingKey, dynamicId) => pubsub.subscribe(channel(routingKey, dynamicId)),
  };
}
