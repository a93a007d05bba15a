import { GraphQLError, type ExecutionResult } from 'graphql';
import { describe, expect, it } from 'vitest';
import { fanOutRules } from '../src/subscriptions/fanOutRules.js';
import { GuardCheck } from '../src/subscriptions/guardCheck.js';
import { SharedUpstreams, Subscriber } from '../src/subscriptions/sharedUpstreams.js';
import type { Upstream } from '../src/subscriptions/upstream.js';

/** An upstream whose events the test pushes, and which records being closed. */
function fakeUpstream() {
  const queue: ((result: IteratorResult<ExecutionResult>) => void)[] = [];
  const pending: IteratorResult<ExecutionResult>[] = [];
  let closed = 0;
  const deliver = (result: IteratorResult<ExecutionResult>) => {
    const waiting = queue.shift();
    if (waiting) waiting(result);
    else pending.push(result);
  };
  const upstream: Upstream = {
    events: {
      next: () => {
        const ready = pending.shift();
        return ready ? Promise.resolve(ready) : new Promise((resolve) => queue.push(resolve));
      },
      [Symbol.asyncIterator]() {
        return this;
      },
    },
    close: () => {
      closed += 1;
      deliver({ value: undefined, done: true });
      return Promise.resolve();
    },
  };
  return {
    upstream,
    emit: (version: number) => deliver({ value: { data: { version } }, done: false }),
    fail: (error: unknown) => {
      const waiting = queue.shift();
      if (waiting) throw new Error('fail() needs a parked next()');
      pending.length = 0;
      upstream.events.next = () => Promise.reject(error);
    },
    closed: () => closed,
  };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('SharedUpstreams', () => {
  it('opens one upstream per key, gives every subscriber every event, and closes it when the last leaves', async () => {
    const upstreams = new SharedUpstreams(() => []);
    const opened: ReturnType<typeof fakeUpstream>[] = [];
    const open = () => {
      const fake = fakeUpstream();
      opened.push(fake);
      return fake.upstream;
    };
    const [a, b, c] = [new Subscriber(10), new Subscriber(10), new Subscriber(10)];
    const leaveA = upstreams.join('flow 1', a, open);
    const leaveB = upstreams.join('flow 1', b, open);
    const leaveC = upstreams.join('flow 2', c, open);
    expect(opened).toHaveLength(2);
    expect(upstreams.size).toEqual({ upstreams: 2, subscribers: 3 });

    opened[0]?.emit(1);
    opened[0]?.emit(2);
    await tick();
    for (const subscriber of [a, b]) {
      for (const version of [1, 2]) {
        const delivery = await subscriber.take();
        expect('event' in delivery && delivery.event.value).toEqual({ data: { version } });
      }
    }

    await leaveA();
    expect(opened[0]?.closed()).toBe(0);
    await leaveB();
    expect(opened[0]?.closed()).toBe(1);
    await leaveC();
    expect(upstreams.size).toEqual({ upstreams: 0, subscribers: 0 });
    // A subscriber joining after that gets a new upstream.
    upstreams.join('flow 1', new Subscriber(10), open);
    expect(opened).toHaveLength(3);
  });

  it('completes an event once per completion key, and every time without one', async () => {
    const upstreams = new SharedUpstreams(() => []);
    const fake = fakeUpstream();
    const subscribers = [new Subscriber(10), new Subscriber(10), new Subscriber(10)];
    for (const subscriber of subscribers) upstreams.join('k', subscriber, () => fake.upstream);
    fake.emit(7);
    await tick();
    let completions = 0;
    const complete = () => Promise.resolve({ data: { completed: (completions += 1) } });
    const events = await Promise.all(subscribers.map((s) => s.take()));
    const results = await Promise.all(
      events.map((delivery, index) =>
        'event' in delivery ? delivery.event.completeOnce(index < 2 ? 'same selection' : undefined, complete) : null,
      ),
    );
    expect(results).toEqual([{ data: { completed: 1 } }, { data: { completed: 1 } }, { data: { completed: 2 } }]);
  });

  it('ends every subscriber with the errors of an upstream that failed', async () => {
    const upstreams = new SharedUpstreams((error) => [new GraphQLError(`upstream: ${(error as Error).message}`)]);
    const fake = fakeUpstream();
    fake.fail(new Error('gone'));
    const [a, b] = [new Subscriber(10), new Subscriber(10)];
    upstreams.join('k', a, () => fake.upstream);
    upstreams.join('k', b, () => fake.upstream);
    for (const subscriber of [a, b]) {
      const delivery = await subscriber.take();
      expect('end' in delivery && delivery.end?.map((e) => e.message)).toEqual(['upstream: gone']);
    }
    expect(upstreams.size.upstreams).toBe(0);
  });
});

describe('Subscriber', () => {
  it('ends a subscriber that falls too far behind instead of queueing without bound', async () => {
    const upstreams = new SharedUpstreams(() => []);
    const fake = fakeUpstream();
    const slow = new Subscriber(3);
    upstreams.join('k', slow, () => fake.upstream);
    for (let version = 1; version <= 5; version += 1) fake.emit(version);
    await tick();
    const delivery = await slow.take();
    expect('end' in delivery && delivery.end?.[0]?.extensions).toEqual({ code: 'CONFLICT', reason: 'TOO_FAR_BEHIND' });
  });
});

describe('GuardCheck', () => {
  const clock = () => {
    let now = 1_000_000;
    return { now: () => now, advance: (ms: number) => void (now += ms) };
  };

  it('asks at the first event, not again while fresh, in the background after half the time, and waits once stale', async () => {
    const time = clock();
    let calls = 0;
    let release: (() => void) | undefined;
    const guard = new GuardCheck(
      () => {
        calls += 1;
        return new Promise((resolve) => (release = () => resolve(undefined)));
      },
      1_000,
      time.now,
    );
    const first = guard.check();
    expect(calls).toBe(1);
    release?.();
    expect(await first).toBeUndefined();

    time.advance(400);
    expect(await guard.check()).toBeUndefined();
    expect(calls).toBe(1);

    // Past half: answered at once, re-asked meanwhile.
    time.advance(200);
    expect(await guard.check()).toBeUndefined();
    expect(calls).toBe(2);
    release?.();
    await tick();

    // Stale: the check waits for the answer.
    time.advance(1_500);
    let settled = false;
    const waiting = guard.check().then(() => (settled = true));
    await tick();
    expect(settled).toBe(false);
    release?.();
    await waiting;
    expect(calls).toBe(3);
  });

  it('keeps a refusal for good, including one found in the background', async () => {
    const time = clock();
    const refusal = [new GraphQLError('gone', { extensions: { code: 'NOT_FOUND' } })];
    let allowed = true;
    let calls = 0;
    const guard = new GuardCheck(
      () => {
        calls += 1;
        return Promise.resolve(allowed ? undefined : refusal);
      },
      1_000,
      time.now,
    );
    expect(await guard.check()).toBeUndefined();
    allowed = false;
    time.advance(600);
    expect(await guard.check()).toBeUndefined();
    await tick();
    expect(await guard.check()).toBe(refusal);
    allowed = true;
    time.advance(10_000);
    expect(await guard.check()).toBe(refusal);
    expect(calls).toBe(2);
  });
});

describe('fanOutRules', () => {
  it('reads @fanOut from the subscription type, with its guard parsed', () => {
    const rules = fanOutRules(/* GraphQL */ `
      schema {
        query: Query
        subscription: Events
      }
      type Query {
        flow(id: ID!): String
      }
      type Events {
        flowEvents(flowId: ID!, sinceVersion: Int): String
          @fanOut(guard: "query ($flowId: ID!) { flow(id: $flowId) }", unsharedWith: ["sinceVersion"])
        other: String
      }
    `);
    expect([...rules.keys()]).toEqual(['flowEvents']);
    expect(rules.get('flowEvents')?.unsharedWith).toEqual(['sinceVersion']);
  });

  it('refuses a guard that is not one query', () => {
    const sdl = (guard: string) => `type Subscription { events: String @fanOut(guard: "${guard}") }`;
    expect(() => fanOutRules(sdl('mutation { x }'))).toThrow(/one query/);
    expect(() => fanOutRules(sdl('{ a } { b }'))).toThrow(/one query/);
  });
});
