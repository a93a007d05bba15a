import type { GraphQLSchema } from 'graphql';
import { applyRules, buildFederatedSchema } from '#internal/subgraph';
import { ProviderResolver } from './provider/provider.resolver.js';
import { providerRules } from './provider/provider.rules.js';

export async function buildCognitionSchema(): Promise<GraphQLSchema> {
  return applyRules(await buildFederatedSchema({ resolvers: [ProviderResolver] }), providerRules);
}
