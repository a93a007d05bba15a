/**
 * Async iterators as subscriptions use them: built from callbacks, ended from outside, with
 * a first value, a close hook or a check before every value.
 */

/**
 * An async iterator from its `next` and a `finish` that ends it (idempotent): `return()`
 * finishes, `throw()` finishes and rethrows. Hand-written iterators rather than async
 * generators: a generator parked on an await cannot run `return()` until it resumes.
 */
export function finishableIterator<T>(
  next: () => Promise<IteratorResult<T>>,
  finish: () => Promise<IteratorResult<T>>,
): AsyncIterableIterator<T> {
  return {
    next,
    return: finish,
    throw: async (error: unknown) => {
      await finish();
      throw error;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

/** Turns push callbacks into a pull iterator with an unbounded queue. */
export function iteratorFrom<T>(attach: (push: (value: unknown) => void) => () => void): AsyncIterableIterator<T> {
  const queue: T[] = [];
  const waiting: ((result: IteratorResult<T>) => void)[] = [];
  let done = false;
  const detach = attach((payload) => {
    const next = waiting.shift();
    if (next) next({ value: payload as T, done: false });
    else queue.push(payload as T);
  });
  const finish = (): Promise<IteratorResult<T>> => {
    if (!done) {
      done = true;
      detach();
      for (const resolve of waiting.splice(0)) resolve({ value: undefined, done: true });
    }
    return Promise.resolve({ value: undefined, done: true });
  };
  return finishableIterator(() => {
    if (queue.length > 0) return Promise.resolve({ value: queue.shift() as T, done: false });
    if (done) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => waiting.push(resolve));
  }, finish);
}

/** Calls `onClose` once when the consumer stops iterating (unsubscribe or disconnect). */
export function onClose<T>(iterator: AsyncIterableIterator<T>, onClose: () => void): AsyncIterableIterator<T> {
  let closed = false;
  const close = (): void => {
    if (!closed) {
      closed = true;
      onClose();
    }
  };
  return {
    next: () => iterator.next(),
    return: async (value?: unknown) => {
      close();
      return (await iterator.return?.(value)) ?? { value: undefined, done: true };
    },
    throw: async (error?: unknown) => {
      close();
      if (iterator.throw) return iterator.throw(error);
      throw error;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

/** `first`, then whatever `iterator` yields; ending it ends `iterator`. */
export function startingWith<T>(first: T, iterator: AsyncIterableIterator<T>): AsyncIterableIterator<T> {
  let sent = false;
  return finishableIterator(
    () => {
      if (sent) return iterator.next();
      sent = true;
      return Promise.resolve({ value: first, done: false });
    },
    async () => (await iterator.return?.()) ?? { value: undefined, done: true },
  );
}

/** What `checkEach` yields in place of an event the subscriber may no longer see. */
export const ACCESS_LOST = Symbol('access lost');

/**
 * Re-checks access before every event. When `allowed` says no, the subscriber gets
 * `ACCESS_LOST` once instead of the event (its resolver turns that into an error the
 * client sees) and then the end of the stream; the source is closed at once.
 */
export function checkEach<T>(
  iterator: AsyncIterableIterator<T>,
  allowed: () => Promise<boolean>,
): AsyncIterableIterator<T | typeof ACCESS_LOST> {
  let lost = false;
  return {
    next: async () => {
      if (lost) return { value: undefined, done: true };
      const result = await iterator.next();
      if (result.done || (await allowed())) return result;
      lost = true;
      await iterator.return?.();
      return { value: ACCESS_LOST, done: false };
    },
    return: async (value?: unknown) => (await iterator.return?.(value)) ?? { value: undefined, done: true },
    throw: async (error?: unknown) => {
      if (iterator.throw) return iterator.throw(error);
      throw error;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
