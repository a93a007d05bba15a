import type { GraphQLSchema } from 'graphql';
import { buildFederatedSchema } from '../../../internal/subgraph/index.js';
import { findPlan } from './plan/plan.catalog.js';
import { PlanResolver } from './plan/plan.resolver.js';
import type { Plan } from './plan/plan.type.js';
import { SubscriptionResolver } from './subscription/subscription.resolver.js';

const planReference = {
  __resolveReference: (ref: { id: string }): Plan | null => findPlan(ref.id) ?? null,
};

export function buildBillingSchema(): Promise<GraphQLSchema> {
  return buildFederatedSchema({ resolvers: [PlanResolver, SubscriptionResolver] }, { Plan: planReference });
}
