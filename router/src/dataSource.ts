import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { IDENTITY_HEADER } from '../../internal/auth/index.js';
import type { RouterContext } from './context.js';

/**
 * Sends subgraph requests with the router's assertion of the caller's identity and
 * address, never anyone else's, and never the caller's raw token.
 */
type Fetcher = NonNullable<ConstructorParameters<typeof RemoteGraphQLDataSource>[0]>['fetcher'];

export class SubgraphDataSource extends RemoteGraphQLDataSource<RouterContext> {
  constructor(options: { url: string }) {
    // Node's own fetch (undici). The gateway's default client keeps idle connections
    // forever, so a request could go out on one the subgraph was just closing (its
    // keep-alive timeout, 5 s): "socket hang up", seen as INTERNAL_SERVER_ERROR. undici
    // follows the server's `Keep-Alive: timeout` and closes such connections first.
    super({ ...options, fetcher: fetch as unknown as Fetcher });
  }

  override async willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<RouterContext>): Promise<void> {
    const assertion = await (context as Partial<RouterContext>).originAssertion?.();
    if (assertion) request.http?.headers.set(IDENTITY_HEADER, assertion);
  }
}
