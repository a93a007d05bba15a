import { buildOperationContext, executeQueryPlan, type ServiceMap } from '@apollo/gateway';
import { operationFromDocument, type Schema } from '@apollo/federation-internals';
import { QueryPlanner, type FetchNode, type PlanNode } from '@apollo/query-planner';
import type { GatewayGraphQLRequestContext } from '@apollo/server-gateway-interface';
import {
  getOperationAST,
  GraphQLError,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type GraphQLSchema,
} from 'graphql';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { IDENTITY_PARAM, type Identity } from '../../../internal/auth/index.js';
import type { Logger } from '../../../internal/logger/index.js';
import { authorizeOperation, variableError } from '../auth/authorize.js';
import type { RemovedFields } from '../auth/removeUnauthorizedFields.js';
import { restoreRemovedFields } from '../auth/restoreRemovedFields.js';
import type { RouterContext } from '../context.js';
import type { LoadedSupergraph } from '../supergraph.js';
import { eventAuthorization } from './eventAuthorization.js';

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

  constructor(
    private readonly loaded: LoadedSupergraph,
    private readonly services: ServiceMap,
    private readonly logger: Logger,
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
  subscribe(args: ExecutionArgs): AsyncIterableIterator<ExecutionResult> | ExecutionResult {
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
    return this.stream({ args, document, removed: partial?.removed, plan, checkEvent }, url);
  }

  /**
   * A hand-written iterator rather than an async generator: a generator parked on the
   * upstream's `next()` cannot run `return()` until the next event arrives, so a client
   * that leaves would keep its upstream subscription open until then.
   */
  private stream(subscription: AuthorizedSubscription, url: string): AsyncIterableIterator<ExecutionResult> {
    const { args, plan } = subscription;
    const context = args.contextValue as RouterContext;
    const upstream = this.connect(url, context);
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
    return {
      next: async () => {
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
      },
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

  /** One upstream connection per client subscription, carrying the router's assertion of that client's identity. */
  private connect(url: string, context: RouterContext): Client {
    return createClient({
      url: toWebSocketUrl(url),
      webSocketImpl: WebSocket,
      lazy: true,
      retryAttempts: 0,
      connectionParams: async () => {
        return { [IDENTITY_PARAM]: await context.originAssertion() };
      },
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
            ? Promise.resolve(event)
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

function pickVariables(all: Record<string, unknown>, names: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(names.filter((name) => name in all).map((name) => [name, all[name]]));
}
