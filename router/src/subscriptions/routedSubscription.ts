import type { ExecutionArgs } from 'graphql';
import type { AuthorizedOperation } from '../auth/fieldAuthorization.js';
import type { RouterContext } from '../context.js';
import type { SubscriptionPlan } from './planner.js';

/** One client subscription, authorized for its caller and planned. */
export interface RoutedSubscription {
  /** The client's operation. */
  args: ExecutionArgs;
  context: RouterContext;
  /** What the caller may run of it, and how to put refused fields back into each event. */
  authorized: AuthorizedOperation;
  plan: SubscriptionPlan;
  /** The upstream subgraph's GraphQL URL. */
  url: string;
}

export const pickVariables = (all: Record<string, unknown>, names: readonly string[]): Record<string, unknown> =>
  Object.fromEntries(names.filter((name) => name in all).map((name) => [name, all[name]]));

/** The variables the upstream subscription uses. */
export const upstreamVariables = (subscription: RoutedSubscription): Record<string, unknown> =>
  pickVariables(
    (subscription.args.variableValues ?? {}) as Record<string, unknown>,
    subscription.plan.primary.variableUsages ?? [],
  );
