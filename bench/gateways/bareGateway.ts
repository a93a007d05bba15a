// A bare `@apollo/gateway` behind a minimal ApolloServer, the baseline of bench:gateways:
// no authorization, no limits, no deduplication; each subgraph call carries the identity
// the bench signed for that subgraph (request header `x-bench-identity-<subgraph>`).
//
//   BARE_GATEWAY_PORT=… BARE_GATEWAY_SUPERGRAPH=<file> node --import tsx bench/gateways/bareGateway.ts
import { readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { ApolloGateway, RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { benchIdentityHeader } from './assertions.js';

interface BareContext {
  req: IncomingMessage;
}

class ForwardingDataSource extends RemoteGraphQLDataSource<BareContext> {
  constructor(
    private readonly name: string,
    url: string,
  ) {
    super({ url });
  }

  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<BareContext>): void {
    const assertion = (context as Partial<BareContext>).req?.headers[benchIdentityHeader(this.name)];
    if (typeof assertion === 'string') request.http?.headers.set('x-ufe-identity', assertion);
  }
}

const port = Number(process.env['BARE_GATEWAY_PORT'] ?? 0);
const supergraphSdl = readFileSync(process.env['BARE_GATEWAY_SUPERGRAPH'] ?? '', 'utf8');
const server = new ApolloServer<BareContext>({
  gateway: new ApolloGateway({
    supergraphSdl,
    buildService: ({ name, url }) => new ForwardingDataSource(name, url ?? ''),
  }),
});
const { url } = await startStandaloneServer(server, {
  listen: { port, host: '127.0.0.1' },
  context: ({ req }) => Promise.resolve({ req }),
});
process.stdout.write(`bare gateway at ${url}\n`);
const stop = (): void => {
  void server.stop().finally(() => process.exit(0));
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
