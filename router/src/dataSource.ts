import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { IDENTITY_HEADER } from '../../internal/auth/index.js';
import type { RouterContext } from './context.js';
import { subgraphFetcher } from './http/subgraphFetcher.js';

/**
 * Sends subgraph requests with the router's assertion of the caller's identity and
 * address, never anyone else's, and never the caller's raw token.
 */
export class SubgraphDataSource extends RemoteGraphQLDataSource<RouterContext> {
  /** @param name the subgraph's name: the audience of the assertions it is sent. */
  constructor(
    private readonly name: string,
    options: { url: string },
  ) {
    super({ ...options, fetcher: subgraphFetcher });
  }

  override async willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<RouterContext>): Promise<void> {
    const assertion = await (context as Partial<RouterContext>).originAssertion?.(this.name);
    if (assertion) request.http?.headers.set(IDENTITY_HEADER, assertion);
  }
}
