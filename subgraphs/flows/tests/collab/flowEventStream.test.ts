import { describe, expect, it } from 'vitest';
import { createMemoryPubSub } from '#internal/pubsub';
import { flowEventStream, LOG_COMPACTED } from '../../src/collab/flowEventStream.js';
import type { FlowEventPayload } from '../../src/collab/flowEvent.js';

const event = (version: number): FlowEventPayload => ({
  flowId: 'f',
  version,
  ops: [],
  clientId: null,
  authorId: 'u',
  update: '',
});

/** A log holding versions `from..to`, served in pages of `page`. */
const logOf =
  (from: number, to: number, page = 2) =>
  (after: number): Promise<FlowEventPayload[] | 'compacted'> => {
    if (after + 1 < from) return Promise.resolve('compacted');
    const versions: FlowEventPayload[] = [];
    for (let v = after + 1; v <= to && versions.length < page; v += 1) versions.push(event(v));
    return Promise.resolve(versions);
  };

async function take(iterator: AsyncIterableIterator<unknown>, n: number): Promise<unknown[]> {
  const values: unknown[] = [];
  for (let i = 0; i < n; i += 1) {
    const next = await iterator.next();
    if (next.done) break;
    values.push(next.value === LOG_COMPACTED ? 'compacted' : (next.value as FlowEventPayload).version);
  }
  return values;
}

describe('flowEventStream', () => {
  it('replays the log after the given version, then live events, each once and in order', async () => {
    const bus = createMemoryPubSub();
    const live = bus.subscribe<FlowEventPayload>('c');
    // Published while the replay is read: 4 is both in the log and live.
    await bus.publish('c', event(4));
    await bus.publish('c', event(5));
    const stream = flowEventStream(live, logOf(1, 4), 1);
    expect(await take(stream, 4)).toEqual([2, 3, 4, 5]);
    await stream.return?.();
    await bus.close();
  });

  it('fills a gap in live events from the log', async () => {
    const bus = createMemoryPubSub();
    const live = bus.subscribe<FlowEventPayload>('c');
    const stream = flowEventStream(live, logOf(1, 9, 3), 6);
    await bus.publish('c', event(9)); // 7 and 8 were published elsewhere, out of order
    await bus.publish('c', event(8));
    await bus.publish('c', event(10));
    expect(await take(stream, 4)).toEqual([7, 8, 9, 10]);
    await stream.return?.();
    await bus.close();
  });

  it('says once that the log was compacted past the version, then ends', async () => {
    const bus = createMemoryPubSub();
    const stream = flowEventStream(bus.subscribe<FlowEventPayload>('c'), logOf(50, 60), 10);
    expect(await take(stream, 3)).toEqual(['compacted']);
    await bus.close();
  });
});
