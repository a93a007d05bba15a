import { ApolloGateway, type ServiceMap } from '@apollo/gateway';
import type { LoadedSupergraph } from './supergraph.js';
import { SubgraphDataSource, type SubgraphCallSavings } from './dataSource.js';

export function createServiceMap(urls: Record<string, string>, savings?: SubgraphCallSavings): ServiceMap {
  return Object.fromEntries(
    Object.entries(urls).map(([name, url]) => [
      name,
      new SubgraphDataSource(name, { url, ...(savings && { savings }) }),
    ]),
  );
}

/** The query planner and executor for queries and mutations. */
export function createGateway(loaded: LoadedSupergraph, services: ServiceMap): ApolloGateway {
  return new ApolloGateway({
    supergraphSdl: loaded.sdl,
    buildService: ({ name, url }) => services[name] ?? new SubgraphDataSource(name, { url: url ?? '' }),
  });
}
