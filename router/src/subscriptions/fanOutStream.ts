import {
  getOperationAST,
  GraphQLError,
  print,
  type DocumentNode,
  type ExecutionResult,
  type GraphQLFormattedError,
} from 'graphql';
import type { FanOutScope } from '#internal/auth';
import { ErrorCode } from '#internal/errors';
import type { Logger } from '#internal/logger';
import { finishableIterator } from '#internal/asyncIterators';
import type { RouterContext } from '../context.js';
import type { EventCompletion } from './eventCompletion.js';
import type { FanOutRule } from './fanOutRules.js';
import { GuardCheck } from './guardCheck.js';
import type { RootField } from './rootField.js';
import { upstreamVariables, type RoutedSubscription } from './routedSubscription.js';
import { SharedUpstreams, Subscriber } from './sharedUpstreams.js';
import { openUpstream, upstreamErrors } from './upstream.js';

/** A fan-out subscriber gets events while its guard passed within this long (rechecked after half of it). */
const GUARD_FRESH_MS = 5_000;
/** Events a fan-out subscriber may have waiting before it is ended as too slow. */
const MAX_QUEUED_EVENTS = 1_000;

export interface FanOutDeps {
  /** Runs a query as the caller of `context`, through the router's whole query path (field rules included). */
  runQuery: (
    document: DocumentNode,
    variables: Record<string, unknown>,
    context: RouterContext,
  ) => Promise<ExecutionResult>;
  /** The router's assertion, for `service`, of a stream approved for `scope` only. */
  fanOutAssertion: (service: string, scope: FanOutScope) => Promise<string>;
  completion: EventCompletion;
  logger: Logger;
}

/**
 * `@fanOut` subscription fields: subscribers pass the field's guard, then share the
 * upstream of everyone with the same upstream operation and variables, opened as the
 * router, not as any one of them, for exactly the field and guarded arguments approved.
 * Before each event: the caller's standing as for any subscription, and the guard,
 * rechecked in the background while events flow.
 */
export class FanOut {
  private readonly shared = new SharedUpstreams((error) => upstreamErrors(error, this.deps.logger));
  private ownStreams = 0;

  constructor(private readonly deps: FanOutDeps) {}

  /** Open shared upstreams and the subscribers they serve. */
  get size(): { upstreams: number; subscribers: number } {
    return this.shared.size;
  }

  async stream(
    subscription: RoutedSubscription,
    rule: FanOutRule,
    root: RootField,
  ): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> {
    const { args, plan, context, authorized, url } = subscription;
    // The guard's variables are the root field's arguments of the same names: what it
    // approves is this field with these values, and the upstream is opened for that only.
    const scope: FanOutScope = {
      field: root.name,
      args: Object.fromEntries(
        (getOperationAST(rule.guard)?.variableDefinitions ?? [])
          .map(({ variable }) => variable.name.value)
          .filter((name) => root.args[name] !== undefined)
          .map((name) => [name, root.args[name]]),
      ),
    };
    const guard = new GuardCheck(() => this.runGuard(rule, scope.args, context), GUARD_FRESH_MS);
    const refused = await guard.check();
    if (refused) return { errors: refused };

    const variables = upstreamVariables(subscription);
    const own = rule.unsharedWith.some((name) => root.args[name] != null);
    const key = own
      ? `own ${(this.ownStreams += 1)}`
      : JSON.stringify([plan.primary.serviceName, plan.primary.operation, variables]);
    // Subscribers with the same selection share each event's completion, unless some of
    // it is fetched or restored for the caller.
    const completionKey =
      plan.rest || !authorized.whole
        ? undefined
        : JSON.stringify([print(authorized.document), args.operationName, args.variableValues]);
    const subscriber = new Subscriber(MAX_QUEUED_EVENTS);
    const service = plan.primary.serviceName;
    const leave = this.shared.join(key, subscriber, () =>
      openUpstream(url, () => this.deps.fanOutAssertion(service, scope), plan.primary, variables),
    );

    let finished = false;
    const finish = async (): Promise<IteratorResult<ExecutionResult>> => {
      if (!finished) {
        finished = true;
        // Wakes a `next()` parked on an empty queue.
        subscriber.push({ end: undefined });
        await leave();
      }
      return { value: undefined, done: true };
    };
    const ending = (errors: readonly GraphQLError[]): IteratorResult<ExecutionResult> => {
      void finish();
      return { value: { errors }, done: false };
    };
    return finishableIterator<ExecutionResult>(async () => {
      if (finished) return { value: undefined, done: true };
      try {
        const delivery = await subscriber.take();
        if (finished) return { value: undefined, done: true };
        if ('end' in delivery) return delivery.end ? ending(delivery.end) : await finish();
        const refusal = authorized.recheck(context.identity) ?? (await context.stillSignedIn());
        if (refusal) return ending([refusal]);
        const denied = await guard.check();
        if (denied) return ending(denied);
        const { event } = delivery;
        const value = await event.completeOnce(completionKey, () =>
          this.deps.completion.complete(subscription, event.value),
        );
        return { value, done: false };
      } catch (error) {
        return ending(upstreamErrors(error, this.deps.logger));
      }
    }, finish);
  }

  /** Undefined when the guard lets the caller in; the errors that keep it out otherwise. */
  private async runGuard(
    rule: FanOutRule,
    variables: Record<string, unknown>,
    context: RouterContext,
  ): Promise<GraphQLError[] | undefined> {
    let result: ExecutionResult;
    try {
      result = await this.deps.runQuery(rule.guard, variables, context);
    } catch (error) {
      this.deps.logger.error({ err: error }, 'subscription guard failed');
      return [
        new GraphQLError('Could not check access to this subscription.', {
          extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
        }),
      ];
    }
    if (result.errors?.length) {
      return result.errors.map(
        (e: GraphQLFormattedError) => new GraphQLError(e.message, { extensions: e.extensions ?? {} }),
      );
    }
    const [root] = Object.values(result.data ?? {});
    if (root == null) {
      return [
        new GraphQLError('Not found, or you may no longer see it.', { extensions: { code: ErrorCode.NOT_FOUND } }),
      ];
    }
    return undefined;
  }
}
