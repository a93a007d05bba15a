import { EventEmitter } from 'node:events';
import { Redis } from 'ioredis';
import { iteratorFrom } from '#internal/asyncIterators';

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
