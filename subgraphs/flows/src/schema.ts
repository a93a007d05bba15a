import type { GraphQLSchema } from 'graphql';
import { asTypeGraphqlPubSub, type PubSub } from '../../../internal/pubsub/index.js';
import { applyRules, buildFederatedSchema } from '../../../internal/subgraph/index.js';
import { flowReference } from './flow/flow.reference.js';
import { FlowResolver } from './flow/flow.resolver.js';
import { flowRules } from './flow/flow.rules.js';
import { OpsResolver } from './ops/ops.resolver.js';
import { opsRules } from './ops/ops.rules.js';

export async function buildFlowsSchema(pubsub: PubSub): Promise<GraphQLSchema> {
  const schema = await buildFederatedSchema(
    { resolvers: [FlowResolver, OpsResolver], pubSub: asTypeGraphqlPubSub(pubsub) },
    { Flow: flowReference },
  );
  return applyRules(schema, {
    ...flowRules,
    ...opsRules,
    Mutation: { ...flowRules.Mutation, ...opsRules.Mutation },
  });
}
