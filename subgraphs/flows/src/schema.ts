import type { GraphQLSchema } from 'graphql';
import { asTypeGraphqlPubSub, type PubSub } from '../../../internal/pubsub/index.js';
import { buildFederatedSchema } from '../../../internal/subgraph/index.js';
import { flowReference } from './flow/flow.reference.js';
import { FlowResolver } from './flow/flow.resolver.js';
import { OpsResolver } from './ops/ops.resolver.js';

export function buildFlowsSchema(pubsub: PubSub): Promise<GraphQLSchema> {
  return buildFederatedSchema(
    { resolvers: [FlowResolver, OpsResolver], pubSub: asTypeGraphqlPubSub(pubsub) },
    { Flow: flowReference },
  );
}
