// The account-deletion consumer loop against the real engine (processed events in a
// throw-away database) and a stand-in for the users feed that speaks its GraphQL and checks
// the service's assertion, so that every failure can be staged: the feed down, an
// acknowledgement lost, a handler failing, a stop in the middle, two instances at once.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Connection } from 'mongoose';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { UsersApi } from '#internal/usersApi';
import { AssertionSigner, AssertionVerifier, IDENTITY_HEADER } from '#internal/auth';
import { connectDatabase } from '#internal/db';
import {
  ProcessedEvents,
  startAccountDeletionConsumer,
  type AccountDeletionConsumer,
  type AccountDeletionHandler,
} from '#internal/events';
import { deferred } from '#internal/testkit';

const KEY = new Uint8Array(32).fill(7);
const logger = pino({ level: 'silent' });
let db: Connection;

beforeAll(async () => {
  db = await connectDatabase(inject('serviceEnv')['MONGODB_URI'] ?? '', `ufe_consumer_${Date.now()}`, new Registry());
});
afterAll(async () => {
  await db.dropDatabase();
  await db.close();
});

interface StoredEvent {
  id: string;
  requestedAt: string;
  /** Keyset order, as the real feed pages (acknowledged events go while a consumer pages). */
  seq: number;
}

/** The users feed for one service: its pending events in order, and switches for failures. */
class FakeFeed {
  readonly pending: StoredEvent[] = [];
  readonly acknowledged: string[] = [];
  readonly requests: string[] = [];
  /** While set, every call answers 503. */
  down = false;
  /** This many acknowledgements to come are lost: they answer 503. */
  lostAcks = 0;
  private server: Server | undefined;
  private readonly verifier = new AssertionVerifier('users', { own: new Uint8Array(32), peer: () => KEY });

  private seq = 0;

  add(...ids: string[]): void {
    for (const id of ids) this.pending.push({ id, requestedAt: new Date().toISOString(), seq: (this.seq += 1) });
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        void this.answer(req.headers[IDENTITY_HEADER], JSON.parse(body) as { query: string; variables: any }).then(
          ([status, answer]) => {
            res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
          },
        );
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server?.address() as AddressInfo).port}/graphql`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }

  private async answer(assertion: unknown, { query, variables }: { query: string; variables: any }) {
    const origin = await this.verifier.verify(assertion);
    if (origin?.service !== 'billing') return [401, { errors: [{ message: 'who are you?' }] }] as const;
    const kind = query.includes('acknowledgeAccountDeletion') ? 'ack' : 'pending';
    this.requests.push(kind);
    if (this.down) return [503, { errors: [{ message: 'down' }] }] as const;
    if (kind === 'ack') {
      const id = variables.id as string;
      if (this.lostAcks > 0) {
        this.lostAcks -= 1;
        return [503, { errors: [{ message: 'lost' }] }] as const;
      }
      const index = this.pending.findIndex((event) => event.id === id);
      if (index >= 0) this.pending.splice(index, 1);
      this.acknowledged.push(id);
      return [200, { data: { acknowledgeAccountDeletion: index >= 0 } }] as const;
    }
    const after = variables.after ? Number(variables.after) : 0;
    const rest = this.pending.filter((event) => event.seq > after);
    const page = rest.slice(0, variables.first as number);
    const events = page.map(({ id, requestedAt }) => ({ id, userId: id, requestedAt }));
    const endCursor = page.length > 0 ? String(page[page.length - 1]?.seq) : null;
    return [
      200,
      { data: { pendingAccountDeletions: { events, endCursor, hasNextPage: rest.length > page.length } } },
    ] as const;
  }
}

const feeds: FakeFeed[] = [];
const consumers: AccountDeletionConsumer[] = [];
afterEach(async () => {
  await Promise.all(consumers.splice(0).map((consumer) => consumer.dispose()));
  await Promise.all(feeds.splice(0).map((feed) => feed.stop()));
});

let prefix = 0;
/** Event ids no other test uses (they share the processed-events collection). */
const ids = (...names: string[]): string[] => {
  prefix += 1;
  return names.map((name) => `t${prefix}-${name}`);
};

async function newFeed(): Promise<{ feed: FakeFeed; url: string }> {
  const feed = new FakeFeed();
  feeds.push(feed);
  return { feed, url: await feed.start() };
}

function consume(url: string, handle: AccountDeletionHandler, options: { pollMs?: number } = {}) {
  const registry = new Registry();
  const consumer = startAccountDeletionConsumer({
    users: new UsersApi(url, AssertionSigner.service('billing', KEY), 'billing'),
    db,
    handle,
    logger,
    registry,
    pollMs: options.pollMs ?? 60_000,
    pageSize: 2,
    backoffMs: 50,
    maxBackoffMs: 200,
  });
  consumers.push(consumer);
  const count = async (name: string, outcome?: string): Promise<number> => {
    const values = (await registry.getSingleMetric(name)?.get())?.values ?? [];
    return values.filter((value) => !outcome || value.labels['outcome'] === outcome).reduce((n, v) => n + v.value, 0);
  };
  return { consumer, outcomes: (outcome: string) => count('account_deletion_events_total', outcome), count };
}

/** Waits until `check` holds (or fails the test after 5 s). */
async function until(check: () => boolean | Promise<boolean>): Promise<void> {
  for (let waited = 0; waited < 5_000; waited += 20) {
    if (await check()) return;
    await sleep(20);
  }
  throw new Error('timed out');
}

/** What the consumers remember as processed. */
const wasProcessed = (id: string): Promise<boolean> => new ProcessedEvents(db, 'account-deletion').has(id);

describe('the account-deletion consumer', () => {
  it('handles every pending event in order, page by page, remembers it and acknowledges it', async () => {
    const { feed, url } = await newFeed();
    const [a, b, c] = ids('a', 'b', 'c');
    feed.add(a as string, b as string, c as string);
    const handled: string[] = [];
    const { consumer, outcomes } = consume(url, ({ id }) => Promise.resolve(void handled.push(id)));
    await consumer.poll();

    expect(handled).toEqual([a, b, c]);
    expect(feed.acknowledged).toEqual([a, b, c]);
    expect(feed.pending).toEqual([]);
    for (const id of [a, b, c]) expect(await wasProcessed(id as string)).toBe(true);
    expect(await outcomes('processed')).toBe(3);
  });

  it('only acknowledges an event delivered again after a stop between handling it and acknowledging it', async () => {
    const { feed, url } = await newFeed();
    const [a] = ids('a') as [string];
    feed.add(a);
    // The poll on start and the one asked for: both acknowledgements lost.
    feed.lostAcks = 2;
    let runs = 0;
    const { consumer, outcomes, count } = consume(url, () => Promise.resolve(void (runs += 1)));
    await consumer.poll();
    // Handled and remembered, but not acknowledged: still pending, and not handled again.
    expect([runs, feed.pending.length, await count('account_deletion_feed_failures_total')]).toEqual([1, 1, 2]);
    expect(await wasProcessed(a)).toBe(true);

    await consumer.poll();
    expect(runs).toBe(1);
    expect(feed.pending).toEqual([]);
    expect([await outcomes('processed'), await outcomes('duplicate')]).toEqual([1, 2]);
  });

  it('tries a failing handler again with growing waits while the events behind it go on', async () => {
    const { feed, url } = await newFeed();
    const [a, b, c] = ids('a', 'b', 'c') as [string, string, string];
    feed.add(a, b, c);
    const attempts: number[] = [];
    const { outcomes } = consume(
      url,
      ({ id }) => {
        if (id !== b) return Promise.resolve();
        attempts.push(Date.now());
        return attempts.length <= 3 ? Promise.reject(new Error('store unavailable')) : Promise.resolve();
      },
      { pollMs: 20 },
    );
    await until(() => feed.pending.length === 0);

    expect(feed.acknowledged).toEqual([a, c, b]);
    expect([await outcomes('failed'), await outcomes('processed')]).toEqual([3, 3]);
    // 50, 100, 200 ms between attempts (polls come every 20 ms): waits double.
    const gaps = attempts.slice(1).map((at, i) => at - (attempts[i] as number));
    expect(gaps[0]).toBeGreaterThanOrEqual(45);
    expect(gaps[1]).toBeGreaterThanOrEqual(95);
    expect(gaps[2]).toBeGreaterThanOrEqual(195);
  });

  it('polls a feed that is down again with growing waits, and catches up with what came meanwhile', async () => {
    const { feed, url } = await newFeed();
    feed.down = true;
    const [a, b] = ids('a', 'b') as [string, string];
    feed.add(a);
    const { count } = consume(url, () => Promise.resolve(), { pollMs: 20 });
    await until(async () => (await count('account_deletion_feed_failures_total')) >= 3);
    expect(feed.acknowledged).toEqual([]);

    feed.add(b);
    feed.down = false;
    await until(() => feed.pending.length === 0);
    expect(feed.acknowledged).toEqual([a, b]);
  });

  it('counts a feed it cannot connect to as a failure, and keeps trying', async () => {
    // Nothing listens on port 1.
    const { count } = consume('http://127.0.0.1:1/graphql', () => Promise.resolve(), { pollMs: 20 });
    await until(async () => (await count('account_deletion_feed_failures_total')) >= 2);
  });

  it('catches up on start with what came while it was not running', async () => {
    const { feed, url } = await newFeed();
    const [a, b] = ids('a', 'b') as [string, string];
    const first = consume(url, () => Promise.resolve());
    await first.consumer.poll();
    await first.consumer.dispose();

    feed.add(a, b);
    const handled: string[] = [];
    const second = consume(url, ({ id }) => Promise.resolve(void handled.push(id)));
    // Polled on start, without being asked.
    await until(() => feed.pending.length === 0);
    await second.consumer.dispose();
    expect(handled).toEqual([a, b]);
  });

  it('on dispose, finishes the event in hand and polls no more', async () => {
    const { feed, url } = await newFeed();
    const [a, b] = ids('a', 'b') as [string, string];
    feed.add(a, b);
    const inHand = deferred<void>();
    const started = deferred<void>();
    const handled: string[] = [];
    const { consumer } = consume(
      url,
      async ({ id }) => {
        started.resolve();
        await inHand.promise;
        handled.push(id);
      },
      { pollMs: 20 },
    );
    await started.promise;
    let disposed = false;
    const disposing = consumer.dispose().then(() => (disposed = true));
    await sleep(50);
    expect(disposed).toBe(false);
    inHand.resolve();
    await disposing;

    expect(handled).toEqual([a]);
    const requests = feed.requests.length;
    await sleep(100);
    expect(feed.requests.length).toBe(requests);
    // What was not acknowledged stays for the next start.
    expect(feed.pending.map((event) => event.id)).toContain(b);
  });

  it('has the effect once when two instances take the same event at once', async () => {
    const { feed, url } = await newFeed();
    const [a] = ids('a') as [string];
    feed.add(a);
    const bothIn = deferred<void>();
    let inside = 0;
    const handler: AccountDeletionHandler = async () => {
      inside += 1;
      if (inside === 2) bothIn.resolve();
      await bothIn.promise;
    };
    const [one, two] = [consume(url, handler), consume(url, handler)];
    await Promise.all([one.consumer.poll(), two.consumer.poll()]);

    const outcomes = [
      [await one.outcomes('processed'), await two.outcomes('processed')],
      [await one.outcomes('duplicate'), await two.outcomes('duplicate')],
    ].map((pair) => pair.reduce((n, v) => n + v, 0));
    expect(outcomes).toEqual([1, 1]);
    expect(feed.pending).toEqual([]);
  });
});
