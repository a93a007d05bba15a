import type { ExecutionResult } from 'graphql';
import { finishableIterator } from '#internal/asyncIterators';
import type { Logger } from '#internal/logger';
import type { EventCompletion } from './eventCompletion.js';
import { upstreamVariables, type RoutedSubscription } from './routedSubscription.js';
import { openUpstream, upstreamErrors } from './upstream.js';

/**
 * A subscription with an upstream of its own, opened with its caller's assertion. Before
 * each event: the caller's standing (`recheck`); then the event is completed for it.
 *
 * A hand-written iterator rather than an async generator: a generator parked on the
 * upstream's `next()` cannot run `return()` until the next event arrives, so a client
 * that leaves would keep its upstream subscription open until then.
 */
export function ownStream(
  subscription: RoutedSubscription,
  completion: EventCompletion,
  logger: Logger,
): AsyncIterableIterator<ExecutionResult> {
  const { context, plan, url, authorized } = subscription;
  const upstream = openUpstream(
    url,
    () => context.originAssertion(plan.primary.serviceName),
    plan.primary,
    upstreamVariables(subscription),
  );
  let finished = false;
  const finish = async (): Promise<IteratorResult<ExecutionResult>> => {
    if (!finished) {
      finished = true;
      await upstream.close();
    }
    return { value: undefined, done: true };
  };
  return finishableIterator<ExecutionResult>(async () => {
    if (finished) return { value: undefined, done: true };
    try {
      const event = await upstream.events.next();
      if (event.done) return await finish();
      const refusal = authorized.recheck(context.identity) ?? (await context.stillSignedIn());
      if (refusal) {
        void finish();
        return { value: { errors: [refusal] }, done: false };
      }
      return { value: await completion.complete(subscription, event.value), done: false };
    } catch (error) {
      void finish();
      return { value: { errors: upstreamErrors(error, logger) }, done: false };
    }
  }, finish);
}
