import { buildOperationContext, executeQueryPlan, type ServiceMap } from '@apollo/gateway';
import { operationFromDocument, type Schema } from '@apollo/federation-internals';
import { QueryPlanner, type FetchNode, type PlanNode } from '@apollo/query-planner';
import type { GatewayGraphQLRequestContext } from '@apollo/server-gateway-interface';
import {
  getArgumentValues,
  getOperationAST,
  GraphQLError,
  Kind,
  print,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type FieldNode,
  type GraphQLFormattedError,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';
import { createClient, type Client } from 'graphql-ws';
import { Gauge, type Registry } from 'prom-client';
import WebSocket from 'ws';
import { IDENTITY_PARAM, type Identity } from '../../../internal/auth/index.js';
import { ErrorCode } from '../../../internal/errors/index.js';
import { finishableIterator } from '../../../internal/pubsub/index.js';
import type { Logger } from '../../../internal/logger/index.js';
import { authorizeOperation, variableError } from '../auth/authorize.js';
import type { RemovedFields } from '../auth/removeUnauthorizedFields.js';
import { restoreRemovedFields } from '../auth/restoreRemovedFields.js';
import type { RouterContext } from '../context.js';
import type { LoadedSupergraph } from '../supergraph.js';
import { eventAuthorization } from './eventAuthorization.js';
import type { FanOutRule } from './fanOutRules.js';
import { GuardCheck } from './guardCheck.js';
import { SharedUpstreams, Subscriber, type Upstream } from './sharedUpstreams.js';

/** A fan-out subscriber gets events while its guard passed within this long (rechecked after half of it). */
const GUARD_FRESH_MS = 5_000;
/** Events a fan-out subscriber may have waiting before it is ended as too slow. */
const MAX_QUEUED_EVENTS = 1_000;

export interface SubscriptionRouterOptions {
  /** Runs a query as the caller of `context`, through the router's whole query path (field rules included). */
  runQuery: (
    document: DocumentNode,
    variables: Record<string, unknown>,
    context: RouterContext,
  ) => Promise<ExecutionResult>;
  /** The router's assertion for subscribing to a `@fanOut` field on behalf of many subscribers. */
  fanOutAssertion: () => Promise<string>;
}

interface SubscriptionPlan {
  /** The subscription sent to the subgraph that owns the root field. */
  primary: FetchNode;
  /** What the other subgraphs add to each event, if anything. */
  rest: PlanNode | undefined;
}

/** One client subscription, as authorized for its caller. */
interface AuthorizedSubscription {
  /** The client's operation. */
  args: ExecutionArgs;
  /** What is planned and executed: the client's document without the fields the caller may not see. */
  document: DocumentNode;
  /** Put back into each event as errors; undefined when nothing was removed. */
  removed: RemovedFields | undefined;
  plan: SubscriptionPlan;
  /** Before each event: why it must not be delivered, if it must not. */
  checkEvent: (identity: Identity | null) => GraphQLError | undefined;
}

const toWebSocketUrl = (httpUrl: string): string => httpUrl.replace(/^http/, 'ws');

/**
 * Federated subscriptions, which `@apollo/gateway` does not execute. The query planner
 * splits a subscription into the upstream subscription (`primary`) and the fetches that
 * complete each event (`rest`). We forward `primary` to its subgraph over graphql-ws
 * with the caller's own credentials, then run the gateway's executor on each event, the
 * event standing in for the response of the primary fetch.
 */
export class SubscriptionRouter {
  private readonly planner: QueryPlanner;
  private readonly supergraphSchema: GraphQLSchema;
  private readonly apiSchema: Schema;
  readonly apiGraphQLSchema: GraphQLSchema;

  private readonly shared = new SharedUpstreams((error) => this.upstreamErrors(error));
  private ownStreams = 0;

  constructor(
    private readonly loaded: LoadedSupergraph,
    private readonly services: ServiceMap,
    private readonly logger: Logger,
    private readonly options: SubscriptionRouterOptions,
  ) {
    this.planner = new QueryPlanner(loaded.supergraph);
    this.supergraphSchema = loaded.supergraph.schema.toGraphQLJSSchema();
    this.apiSchema = loaded.supergraph.apiSchema();
    this.apiGraphQLSchema = this.apiSchema.toGraphQLJSSchema();
  }

  plan(args: ExecutionArgs): SubscriptionPlan {
    const operation = operationFromDocument(this.apiSchema, args.document, {
      operationName: args.operationName ?? undefined,
    });
    const node = this.planner.buildQueryPlan(operation).node;
    if (node?.kind !== 'Subscription') throw new GraphQLError('Not a subscription operation.');
    return { primary: node.primary, rest: node.rest };
  }

  /**
   * Fields the caller may not see are removed as for queries (see `useFieldAuthorization`);
   * a subscription with nothing authorized left is refused.
   */
  subscribe(
    args: ExecutionArgs,
  ):
    | AsyncIterableIterator<ExecutionResult>
    | ExecutionResult
    | Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> {
    const { identity } = args.contextValue as RouterContext;
    const authorize = (caller: Identity | null) =>
      authorizeOperation(this.apiGraphQLSchema, args.document, args.operationName, caller, this.loaded.rules);
    const authorization = authorize(identity);
    if (authorization.kind === 'refused') return { errors: [authorization.error] };
    const partial = authorization.kind === 'partial' ? authorization : undefined;
    const operation = getOperationAST(args.document, args.operationName) ?? undefined;
    const invalid = partial && variableError(this.apiGraphQLSchema, operation, args.variableValues ?? undefined);
    if (invalid) return { errors: [invalid] };
    const document = partial?.document ?? args.document;
    let plan: SubscriptionPlan;
    try {
      plan = this.plan({ ...args, document });
    } catch (error) {
      return { errors: [error instanceof GraphQLError ? error : new GraphQLError((error as Error).message)] };
    }
    const url = this.loaded.urls[plan.primary.serviceName];
    if (!url) return { errors: [new GraphQLError(`No subgraph named ${plan.primary.serviceName}.`)] };
    const checkEvent = eventAuthorization(authorize, identity, authorization);
    const subscription = { args, document, removed: partial?.removed, plan, checkEvent };
    const root = this.rootField(args);
    const rule = root && this.loaded.fanOut.get(root.name);
    if (root && rule) return this.fanOutStream(subscription, url, rule, root.args);
    return this.stream(subscription, url);
  }

  /** Open shared upstreams and the subscribers they serve. */
  get fanOut(): { upstreams: number; subscribers: number } {
    return this.shared.size;
  }

  /**
   * A `@fanOut` field: the caller passes the field's guard, then shares the upstream of
   * everyone with the same upstream operation and variables (opened as the router, not as
   * any one of them). Before each event: the token's expiry and rules as for any
   * subscription, and the guard, rechecked in the background while events flow.
   */
  private async fanOutStream(
    subscription: AuthorizedSubscription,
    url: string,
    rule: FanOutRule,
    rootArgs: Record<string, unknown>,
  ): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> {
    const { args, plan, document, removed } = subscription;
    const context = args.contextValue as RouterContext;
    const guardVariables = Object.fromEntries(
      (getOperationAST(rule.guard)?.variableDefinitions ?? [])
        .map(({ variable }) => variable.name.value)
        .filter((name) => rootArgs[name] !== undefined)
        .map((name) => [name, rootArgs[name]]),
    );
    const guard = new GuardCheck(() => this.runGuard(rule, guardVariables, context), GUARD_FRESH_MS);
    const refused = await guard.check();
    if (refused) return { errors: refused };

    const variables = pickVariables(args.variableValues ?? {}, plan.primary.variableUsages ?? []);
    const own = rule.unsharedWith.some((name) => rootArgs[name] != null);
    const key = own
      ? `own ${(this.ownStreams += 1)}`
      : JSON.stringify([plan.primary.serviceName, plan.primary.operation, variables]);
    // Subscribers with the same selection share each event's completion, unless some of
    // it is fetched or restored for the caller.
    const completionKey =
      plan.rest || removed ? undefined : JSON.stringify([print(document), args.operationName, args.variableValues]);
    const subscriber = new Subscriber(MAX_QUEUED_EVENTS);
    const leave = this.shared.join(key, subscriber, () => this.openUpstream(url, plan.primary, variables));

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
        const refusal = subscription.checkEvent(context.identity);
        if (refusal) return ending([refusal]);
        const denied = await guard.check();
        if (denied) return ending(denied);
        const { event } = delivery;
        const value = await event.completeOnce(completionKey, () => this.complete(subscription, event.value));
        return { value, done: false };
      } catch (error) {
        return ending(this.upstreamErrors(error));
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
      result = await this.options.runQuery(rule.guard, variables, context);
    } catch (error) {
      this.logger.error({ err: error }, 'subscription guard failed');
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

  private openUpstream(url: string, primary: FetchNode, variables: Record<string, unknown>): Upstream {
    const client = this.connect(url, this.options.fanOutAssertion);
    const events = client.iterate({
      query: primary.operation,
      variables,
      ...(primary.operationName ? { operationName: primary.operationName } : {}),
    });
    return {
      // Upstream events are parsed JSON: errors are plain objects until completed.
      events: events as AsyncIterableIterator<ExecutionResult>,
      close: async () => {
        await events.return?.();
        await client.dispose();
      },
    };
  }

  /** The operation's root field (a subscription has exactly one) and its argument values. */
  private rootField(args: ExecutionArgs): { name: string; args: Record<string, unknown> } | undefined {
    const operation = getOperationAST(args.document, args.operationName);
    const type = this.apiGraphQLSchema.getSubscriptionType();
    if (!operation || !type) return undefined;
    const fragments = new Map(
      args.document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d]] : [])),
    );
    const find = (selectionSet: SelectionSetNode): FieldNode | undefined => {
      for (const selection of selectionSet.selections) {
        if (selection.kind === Kind.FIELD) {
          if (!selection.name.value.startsWith('__')) return selection;
        } else {
          const nested =
            selection.kind === Kind.INLINE_FRAGMENT
              ? selection.selectionSet
              : fragments.get(selection.name.value)?.selectionSet;
          const found = nested && find(nested);
          if (found) return found;
        }
      }
      return undefined;
    };
    const node = find(operation.selectionSet);
    const definition = node && type.getFields()[node.name.value];
    if (!node || !definition) return undefined;
    return {
      name: node.name.value,
      args: getArgumentValues(definition, node, (args.variableValues ?? {}) as Record<string, unknown>),
    };
  }

  /**
   * A hand-written iterator rather than an async generator: a generator parked on the
   * upstream's `next()` cannot run `return()` until the next event arrives, so a client
   * that leaves would keep its upstream subscription open until then.
   */
  private stream(subscription: AuthorizedSubscription, url: string): AsyncIterableIterator<ExecutionResult> {
    const { args, plan } = subscription;
    const context = args.contextValue as RouterContext;
    const upstream = this.connect(url, () => context.originAssertion());
    const events = upstream.iterate({
      query: plan.primary.operation,
      variables: pickVariables(args.variableValues ?? {}, plan.primary.variableUsages ?? []),
      ...(plan.primary.operationName ? { operationName: plan.primary.operationName } : {}),
    });
    let finished = false;
    const finish = async (): Promise<IteratorResult<ExecutionResult>> => {
      if (!finished) {
        finished = true;
        await events.return?.();
        await upstream.dispose();
      }
      return { value: undefined, done: true };
    };
    return finishableIterator<ExecutionResult>(async () => {
      if (finished) return { value: undefined, done: true };
      try {
        const event = await events.next();
        if (event.done) return await finish();
        const refusal = subscription.checkEvent(context.identity);
        if (refusal) {
          void finish();
          return { value: { errors: [refusal] }, done: false };
        }
        return { value: await this.complete(subscription, event.value as ExecutionResult), done: false };
      } catch (error) {
        void finish();
        return { value: { errors: this.upstreamErrors(error) }, done: false };
      }
    }, finish);
  }

  /**
   * Upstream errors arrive as plain JSON (graphql-ws reports an `error` message as an
   * array of them); the client gets them as GraphQL errors with their codes.
   */
  private upstreamErrors(error: unknown): GraphQLError[] {
    if (Array.isArray(error)) {
      return error.map(
        (e: { message: string; extensions?: Record<string, unknown> }) =>
          new GraphQLError(e.message, { extensions: e.extensions ?? {} }),
      );
    }
    this.logger.error({ err: error }, 'upstream subscription failed');
    return [
      new GraphQLError('The subscription ended unexpectedly.', { extensions: { code: 'INTERNAL_SERVER_ERROR' } }),
    ];
  }

  /** One upstream connection per upstream subscription, carrying the router's assertion (the client's, or fan-out). */
  private connect(url: string, assertion: () => Promise<string>): Client {
    return createClient({
      url: toWebSocketUrl(url),
      webSocketImpl: WebSocket,
      lazy: true,
      retryAttempts: 0,
      connectionParams: async () => ({ [IDENTITY_PARAM]: await assertion() }),
    });
  }

  /**
   * Runs the rest of the plan for one event and shapes it to the client's selection
   * (which also drops the keys and `__typename`s the planner added upstream).
   */
  private async complete(subscription: AuthorizedSubscription, event: ExecutionResult): Promise<ExecutionResult> {
    if (!event.data) return { errors: this.upstreamErrors(event.errors ?? []) };
    const { args, plan } = subscription;
    const { primary } = plan;
    const owner = this.services[primary.serviceName];
    const services: ServiceMap = {
      ...this.services,
      [primary.serviceName]: {
        process: (options) =>
          options.request.query === primary.operation
            ? // A copy: the executor merges what the other subgraphs return into this
              // response, and one event is completed for several subscribers (fan-out),
              // each as itself: one subscriber's fields must never reach another.
              Promise.resolve(structuredClone(event))
            : (owner?.process(options) ?? Promise.reject(new Error('unknown subgraph'))),
      },
    };
    const requestContext = {
      request: { query: '', variables: args.variableValues ?? {}, operationName: args.operationName ?? undefined },
      context: args.contextValue,
      metrics: {},
      logger: this.logger,
      cache: undefined,
      overallCachePolicy: undefined,
    } as unknown as GatewayGraphQLRequestContext;
    const operationContext = buildOperationContext({
      schema: this.apiGraphQLSchema,
      operationDocument: subscription.document,
      operationName: args.operationName ?? undefined,
    });
    const result = await executeQueryPlan(
      { kind: 'QueryPlan', node: plan.rest ? { kind: 'Sequence', nodes: [primary, plan.rest] } : primary },
      services,
      requestContext,
      operationContext,
      this.supergraphSchema,
      this.apiSchema,
    );
    const shaped = { data: result.data ?? null, errors: (result.errors ?? []) as GraphQLError[] };
    if (subscription.removed && shaped.data) {
      const restored = await restoreRemovedFields({
        schema: this.apiGraphQLSchema,
        document: args.document,
        operationName: args.operationName,
        variables: args.variableValues ?? undefined,
        removed: subscription.removed,
        data: shaped.data,
      });
      shaped.data = restored.data ?? null;
      shaped.errors.push(...(restored.errors ?? []));
    }
    return { data: shaped.data, ...(shaped.errors.length > 0 ? { errors: shaped.errors } : {}) };
  }
}

/** How many upstreams `@fanOut` subscribers share, on `/metrics`. */
export function fanOutMetrics(subscriptions: SubscriptionRouter, registry: Registry): void {
  new Gauge({
    name: 'router_fanout_upstreams',
    help: 'Upstream subscriptions open for @fanOut fields, each shared by its subscribers.',
    registers: [registry],
    collect() {
      this.set(subscriptions.fanOut.upstreams);
    },
  });
  new Gauge({
    name: 'router_fanout_subscribers',
    help: 'Client subscriptions served from those upstreams.',
    registers: [registry],
    collect() {
      this.set(subscriptions.fanOut.subscribers);
    },
  });
}

function pickVariables(all: Record<string, unknown>, names: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(names.filter((name) => name in all).map((name) => [name, all[name]]));
}
