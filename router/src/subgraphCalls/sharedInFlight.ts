/**
 * Calls in flight by key: a second caller with the same key while the first is running
 * joins it instead of starting its own. Nothing is kept once a call settles (no cache).
 */
export class SharedInFlight<T> {
  private readonly running = new Map<string, Promise<T>>();

  /** Calls `start` unless a call with `key` is running; `shared` says which happened. */
  run(key: string, start: () => Promise<T>): { result: Promise<T>; shared: boolean } {
    const joined = this.running.get(key);
    if (joined) return { result: joined, shared: true };
    const result = start().finally(() => this.running.delete(key));
    this.running.set(key, result);
    return { result, shared: false };
  }
}
