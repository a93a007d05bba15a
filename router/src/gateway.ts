import { ApolloGateway, type ServiceMap } from '@apollo/gateway';
import type { LoadedSupergraph } from './supergraph.js';
import { SubgraphDataSource } from './dataSource.js';

export function createServiceMap(urls: Record<string, string>): ServiceMap {
  return Object.fromEntries(Object.entries(urls).map(([name, url]) => [name, new SubgraphDataSource(name, { url })]));
}

/** The query planner and executor for queries and mutations. */
export function createGateway(loaded: LoadedSupergraph, services: ServiceMap): ApolloGateway {
  return new ApolloGateway({
    supergraphSdl: loaded.sdl,
    buildService: ({ name, url }) => services[name] ?? new SubgraphDataSource(name, { url: url ?? '' }),
  });
}
