import { LRUCache } from 'lru-cache';

export interface RecentlyReadOptions<T> {
  /** How long a value read is kept. */
  ttlMs: number;
  /** The most kept, in units of `sizeOf`. */
  maxSize: number;
  /** @default 1 a value */
  sizeOf?: (value: T) => number;
}

/**
 * Values by id as this process last read them, kept for at most `ttlMs`: for records read
 * far more often than they change (access checks on every write and for every subscriber).
 * What this process changes it `forget`s and reads again at once; a change made by another
 * process is seen here within `ttlMs`. Values are shared between callers: read-only.
 */
export class RecentlyRead<T extends NonNullable<unknown>> {
  private readonly entries: LRUCache<string, T>;
  /** Counts `forget` calls: a read that overlapped one may hold what was just changed. */
  private forgets = 0;

  constructor(
    /** Reads `ids` from the store. An id left out of the answer is not kept: asked again next time. */
    private readonly read: (ids: string[]) => Promise<ReadonlyMap<string, T>>,
    { ttlMs, maxSize, sizeOf = () => 1 }: RecentlyReadOptions<T>,
  ) {
    this.entries = new LRUCache({ maxSize, sizeCalculation: sizeOf, ttl: ttlMs });
  }

  /** The values of `ids` (undefined: not found), reading the store once for all those not kept. */
  async load(ids: readonly string[]): Promise<(T | undefined)[]> {
    const known = new Map<string, T>();
    for (const id of ids) {
      const kept = this.entries.get(id);
      if (kept !== undefined) known.set(id, kept);
    }
    const missing = [...new Set(ids.filter((id) => !known.has(id)))];
    if (missing.length > 0) {
      const forgets = this.forgets;
      const read = await this.read(missing);
      // Kept only if nothing was changed here meanwhile (it may have been read before the change).
      const keep = forgets === this.forgets;
      for (const [id, value] of read) {
        known.set(id, value);
        if (keep) this.entries.set(id, value);
      }
    }
    return ids.map((id) => known.get(id));
  }

  /** After this process changed the record: the next read goes to the store. */
  forget(id: string): void {
    this.forgets += 1;
    this.entries.delete(id);
  }
}
