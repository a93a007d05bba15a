import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { RouterContext } from './context.js';

/** Sends subgraph requests with the caller's own credentials, never anyone else's. */
export class SubgraphDataSource extends RemoteGraphQLDataSource<RouterContext> {
  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<RouterContext>): void {
    const authorization = (context as Partial<RouterContext>).authorization;
    if (authorization) request.http?.headers.set('authorization', authorization);
  }
}
