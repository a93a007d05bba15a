import { finishableIterator } from '#internal/asyncIterators';
import type { FlowEventPayload } from './flowEvent.js';

/** What the stream yields, once, when the log no longer reaches back to where the client is. */
export const LOG_COMPACTED = Symbol('log compacted');

/** Logged events after a version, oldest first (a page), or `'compacted'`. */
export type FetchAfter = (version: number) => Promise<FlowEventPayload[] | 'compacted'>;

/**
 * A flow's events in version order, each exactly once, from `after + 1` on.
 *
 * `live` must be subscribed before this is called, so nothing published meanwhile is
 * missed: what the log already holds is replayed first, then live events are passed on,
 * skipping versions already sent. A live event that skips versions (another instance
 * published out of order, or a publish was lost) is preceded by the missing ones, read
 * from the log — a version is always logged before it is published, so they are there.
 */
export function flowEventStream(
  live: AsyncIterableIterator<FlowEventPayload>,
  fetchAfter: FetchAfter,
  after: number,
): AsyncIterableIterator<FlowEventPayload | typeof LOG_COMPACTED> {
  let sent = after;
  let ended = false;
  const pending: FlowEventPayload[] = [];

  /** Queues the logged events after `sent` (up to `until`, if given); false when the log was compacted past it. */
  const fill = async (until = Infinity): Promise<boolean> => {
    let from = sent;
    while (from < until) {
      const page = await fetchAfter(from);
      if (page === 'compacted') return false;
      const last = page.at(-1);
      if (!last) break;
      pending.push(...page);
      from = last.version;
    }
    return true;
  };

  const end = async (): Promise<IteratorResult<FlowEventPayload | typeof LOG_COMPACTED>> => {
    if (!ended) {
      ended = true;
      pending.length = 0;
      await live.return?.();
    }
    return { value: undefined, done: true };
  };

  const compacted = async (): Promise<IteratorResult<FlowEventPayload | typeof LOG_COMPACTED>> => {
    await end();
    return { value: LOG_COMPACTED, done: false };
  };

  let replayed = false;
  return finishableIterator(async () => {
    if (ended) return { value: undefined, done: true };
    if (!replayed) {
      replayed = true;
      if (!(await fill())) return compacted();
    }
    for (;;) {
      const queued = pending.shift();
      if (queued) {
        if (queued.version <= sent) continue;
        sent = queued.version;
        return { value: queued, done: false };
      }
      const result = await live.next();
      if (ended) return { value: undefined, done: true };
      if (result.done) return end();
      const event = result.value;
      if (event.version <= sent) continue;
      if (event.version === sent + 1) {
        sent = event.version;
        return { value: event, done: false };
      }
      if (!(await fill(event.version))) return compacted();
      if (!pending.some((queued) => queued.version === event.version)) pending.push(event);
    }
  }, end);
}
