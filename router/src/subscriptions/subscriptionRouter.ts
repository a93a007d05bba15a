import type { ServiceMap } from '@apollo/gateway';
import { GraphQLError, type ExecutionArgs, type ExecutionResult, type GraphQLSchema } from 'graphql';
import type { Logger } from '#internal/logger';
import type { FieldAuthorization } from '../auth/fieldAuthorization.js';
import type { RouterContext } from '../context.js';
import type { LoadedSupergraph } from '../supergraph.js';
import { EventCompletion } from './eventCompletion.js';
import { FanOut, type FanOutDeps } from './fanOutStream.js';
import { ownStream } from './ownStream.js';
import { SubscriptionPlanner } from './planner.js';
import { subscriptionRootField } from './rootField.js';
import type { RoutedSubscription } from './routedSubscription.js';

export type SubscriptionRouterOptions = Pick<FanOutDeps, 'runQuery' | 'fanOutAssertion'>;

type SubscribeResult = AsyncIterableIterator<ExecutionResult> | ExecutionResult;

/**
 * Federated subscriptions, which `@apollo/gateway` does not execute. Each goes through
 * the same field authorization as queries, is planned into the upstream subscription
 * sent to the subgraph that owns its root field and the fetches that complete each
 * event, and is then served either from an upstream of its own (with its caller's
 * assertion) or, for a `@fanOut` field, from one shared by every subscriber its guard
 * lets in.
 */
export class SubscriptionRouter {
  readonly apiGraphQLSchema: GraphQLSchema;
  private readonly planner: SubscriptionPlanner;
  private readonly completion: EventCompletion;
  private readonly fanOut: FanOut;

  constructor(
    private readonly loaded: LoadedSupergraph,
    services: ServiceMap,
    private readonly authorization: FieldAuthorization,
    private readonly logger: Logger,
    options: SubscriptionRouterOptions,
  ) {
    this.apiGraphQLSchema = authorization.schema;
    this.planner = new SubscriptionPlanner(loaded.supergraph, loaded.apiSchema);
    this.completion = new EventCompletion(
      services,
      loaded.supergraph.schema.toGraphQLJSSchema(),
      loaded.apiSchema,
      this.apiGraphQLSchema,
      logger,
    );
    this.fanOut = new FanOut({ ...options, completion: this.completion, logger });
  }

  /** Open shared upstreams and the subscribers they serve. */
  get fanOutSize(): { upstreams: number; subscribers: number } {
    return this.fanOut.size;
  }

  subscribe(args: ExecutionArgs): SubscribeResult | Promise<SubscribeResult> {
    const context = args.contextValue as RouterContext;
    const variables = (args.variableValues ?? {}) as Record<string, unknown>;
    let subscription: RoutedSubscription;
    let root: ReturnType<typeof subscriptionRootField>;
    try {
      const authorized = this.authorization.authorize({
        document: args.document,
        operationName: args.operationName,
        variables,
        identity: context.identity,
      });
      // The field that will run, with the variables: what the guard checks and the upstream runs.
      root = subscriptionRootField(this.apiGraphQLSchema, authorized.document, args.operationName, variables);
      const plan = this.planner.plan(authorized.document, args.operationName);
      const url = this.loaded.urls[plan.primary.serviceName];
      if (!url) throw new GraphQLError(`No subgraph named ${plan.primary.serviceName}.`);
      subscription = { args, context, authorized, plan, url };
    } catch (error) {
      return { errors: [error instanceof GraphQLError ? error : new GraphQLError((error as Error).message)] };
    }
    const rule = this.loaded.fanOut.get(root.name);
    if (rule) return this.fanOut.stream(subscription, rule, root);
    return ownStream(subscription, this.completion, this.logger);
  }
}
