import { buildOperationContext, executeQueryPlan, type ServiceMap } from '@apollo/gateway';
import type { Schema } from '@apollo/federation-internals';
import type { GatewayGraphQLRequestContext } from '@apollo/server-gateway-interface';
import type { ExecutionResult, GraphQLError, GraphQLSchema } from 'graphql';
import type { Logger } from '#internal/logger';
import type { RoutedSubscription } from './routedSubscription.js';
import { upstreamErrors } from './upstream.js';

/**
 * Completes one upstream event for one subscription: runs the rest of the plan (the
 * fields other subgraphs add, fetched as that subscription's caller), with the event
 * standing in for the response of the primary fetch, shapes it to the client's selection
 * (which also drops the keys and `__typename`s the planner added upstream) and puts back
 * the fields the caller may not see, as errors.
 */
export class EventCompletion {
  constructor(
    private readonly services: ServiceMap,
    private readonly supergraphSchema: GraphQLSchema,
    private readonly apiSchema: Schema,
    private readonly apiGraphQLSchema: GraphQLSchema,
    private readonly logger: Logger,
  ) {}

  async complete(subscription: RoutedSubscription, event: ExecutionResult): Promise<ExecutionResult> {
    if (!event.data) return { errors: upstreamErrors(event.errors ?? [], this.logger) };
    const { args, plan, authorized } = subscription;
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
      context: subscription.context,
      metrics: {},
      logger: this.logger,
      cache: undefined,
      overallCachePolicy: undefined,
    } as unknown as GatewayGraphQLRequestContext;
    const operationContext = buildOperationContext({
      schema: this.apiGraphQLSchema,
      operationDocument: authorized.document,
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
    const errors = (result.errors ?? []) as GraphQLError[];
    const restored = await authorized.restore({ data: result.data ?? null, ...(errors.length ? { errors } : {}) });
    return { data: restored.data ?? null, ...(restored.errors?.length ? { errors: restored.errors } : {}) };
  }
}
