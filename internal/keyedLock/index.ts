/**
 * Runs tasks for the same key one after another within this process.
 *
 * Why: FerretDB (the embedded engine) does not apply `findOneAndUpdate({ version })`
 * atomically, so two concurrent writers can both "win" the same version. Serialising
 * writes per record (a flow, a knowledge document) inside the instance closes that race; across instances (production,
 * real MongoDB) the version compare-and-set is atomic and still decides.
 */
export class KeyedLock {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(task, task);
    const tail = result.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }
}
