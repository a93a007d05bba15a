import { afterEach, describe, expect, it } from 'vitest';
import { onClose } from '#internal/asyncIterators';
import { createMemoryPubSub, createRedisPubSub, type PubSub } from '#internal/pubsub';

const REDIS_URL = process.env['REDIS_URL'];
const opened: PubSub[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((bus) => bus.close()));
});

const track = (bus: PubSub): PubSub => {
  opened.push(bus);
  return bus;
};

describe('in-process pub/sub', () => {
  it('delivers copies in order to every subscriber of a channel, and nothing after return()', async () => {
    const bus = track(createMemoryPubSub());
    const a = bus.subscribe<{ n: number }>('c');
    const b = bus.subscribe<{ n: number }>('c');
    const other = bus.subscribe<{ n: number }>('other');
    const payload = { n: 1 };
    await bus.publish('c', payload);
    await bus.publish('c', { n: 2 });
    payload.n = 99;
    expect([(await a.next()).value, (await a.next()).value]).toEqual([{ n: 1 }, { n: 2 }]);
    expect((await b.next()).value).toEqual({ n: 1 });
    await a.return?.();
    expect(await a.next()).toEqual({ value: undefined, done: true });
    await other.return?.();
  });

  it('calls onClose once when the consumer stops', async () => {
    const bus = track(createMemoryPubSub());
    let closed = 0;
    const iterator = onClose(bus.subscribe('c'), () => (closed += 1));
    await iterator.return?.();
    await iterator.return?.();
    expect(closed).toBe(1);
  });
});

describe.skipIf(!REDIS_URL)('Redis pub/sub (REDIS_URL)', () => {
  it('carries events between two instances', async () => {
    const prefix = `test-${Date.now()}:`;
    const first = track(createRedisPubSub(REDIS_URL ?? '', prefix));
    const second = track(createRedisPubSub(REDIS_URL ?? '', prefix));
    const events = second.subscribe<{ hello: string }>('flow:1');
    const next = events.next();
    // SUBSCRIBE is asynchronous; publish until the subscriber is in place.
    let delivered = false;
    void next.then(() => (delivered = true));
    for (let i = 0; i < 50 && !delivered; i += 1) {
      await first.publish('flow:1', { hello: 'world' });
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(delivered).toBe(true);
    expect((await next).value).toEqual({ hello: 'world' });
    await events.return?.();
  });
});
