import { describe, expect, it } from 'vitest';
import { RecentlyRead } from '#internal/recentlyRead';

/** A store whose reads answer when the test says so. */
function store(initial: Record<string, string>) {
  const values = new Map(Object.entries(initial));
  const pending: (() => void)[] = [];
  let reads = 0;
  const read = (ids: string[]): Promise<Map<string, string>> => {
    reads += 1;
    // What the store holds now, answered later (a query in flight).
    const answer = new Map(ids.flatMap((id) => (values.has(id) ? [[id, values.get(id) as string] as const] : [])));
    return new Promise((resolve) => pending.push(() => resolve(answer)));
  };
  return {
    values,
    read,
    reads: () => reads,
    answer: () => {
      for (const resolve of pending.splice(0)) resolve();
    },
  };
}

describe('RecentlyRead', () => {
  it('reads each id once within its time, all missing ones in one read', async () => {
    const s = store({ a: 'A', b: 'B' });
    const recent = new RecentlyRead(s.read, { ttlMs: 60_000, maxSize: 10 });
    const first = recent.load(['a', 'b', 'c', 'a']);
    s.answer();
    expect(await first).toEqual(['A', 'B', undefined, 'A']);
    const again = recent.load(['a', 'b']);
    expect(await again).toEqual(['A', 'B']);
    expect(s.reads()).toBe(1);
    // A missing id is asked again.
    const missing = recent.load(['c']);
    s.answer();
    await missing;
    expect(s.reads()).toBe(2);
  });

  it('does not keep a value read while this process changed it', async () => {
    const s = store({ a: 'before' });
    const recent = new RecentlyRead(s.read, { ttlMs: 60_000, maxSize: 10 });
    const inFlight = recent.load(['a']); // read before the change, answered after it
    s.values.set('a', 'after');
    recent.forget('a');
    s.answer();
    expect(await inFlight).toEqual(['before']);
    const next = recent.load(['a']);
    s.answer();
    expect(await next).toEqual(['after']);
    expect(s.reads()).toBe(2);
  });
});
