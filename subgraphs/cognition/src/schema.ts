import type { GraphQLSchema } from 'graphql';
import { buildFederatedSchema } from '../../../internal/subgraph/index.js';
import { ProviderResolver } from './provider/provider.resolver.js';

export function buildCognitionSchema(): Promise<GraphQLSchema> {
  return buildFederatedSchema({ resolvers: [ProviderResolver] });
}
