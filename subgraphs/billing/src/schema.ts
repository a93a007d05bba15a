import type { GraphQLSchema } from 'graphql';
import { applyRules, buildFederatedSchema } from '#internal/subgraph';
import { findPlan } from './plan/plan.catalog.js';
import { PlanResolver } from './plan/plan.resolver.js';
import { planRules } from './plan/plan.rules.js';
import type { Plan } from './plan/plan.type.js';
import { SubscriptionResolver } from './subscription/subscription.resolver.js';
import { subscriptionRules } from './subscription/subscription.rules.js';

const planReference = {
  __resolveReference: (ref: { id: string }): Plan | null => findPlan(ref.id) ?? null,
};

export async function buildBillingSchema(): Promise<GraphQLSchema> {
  const schema = await buildFederatedSchema(
    { resolvers: [PlanResolver, SubscriptionResolver] },
    { Plan: planReference },
  );
  return applyRules(schema, {
    ...planRules,
    ...subscriptionRules,
    Query: { ...planRules.Query, ...subscriptionRules.Query },
  });
}
