import type { IncomingMessage, Server } from 'node:http';
import type { ApolloServer } from '@apollo/server';
import { GraphQLError, print, type ExecutionResult, type GraphQLFormattedError } from 'graphql';
import { maskError } from '../../../internal/errors/index.js';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { tokenParamIn } from '../auth/rejectTokensInUrl.js';
import type { RouterContext } from '../context.js';
import type { SubscriptionRouter } from './subscriptionRouter.js';

/**
 * graphql-ws on the router's `/graphql` path: subscriptions go through the
 * subscription router; queries and mutations sent over the socket go through Apollo.
 * Browsers cannot set headers on the upgrade, so credentials come in `connection_init`.
 */
export function useGraphqlWs(
  httpServer: Server,
  apollo: ApolloServer<RouterContext>,
  subscriptions: SubscriptionRouter,
  production: boolean,
  authenticateConnection: (authorization: unknown, clientIp: string | undefined) => Promise<RouterContext>,
  /** Runs before every operation on a socket (rate limits); an error refuses that operation only. */
  beforeOperation: (context: RouterContext) => Promise<GraphQLError | undefined> = () => Promise.resolve(undefined),
): { dispose: () => Promise<void> } {
  const format = (errors: readonly (GraphQLError | GraphQLFormattedError)[]): GraphQLFormattedError[] =>
    errors.map((error) => maskError(withoutHttp(error instanceof GraphQLError ? error.toJSON() : error), production));
  const wsServer = new WebSocketServer({
    server: httpServer,
    path: '/graphql',
    // As over HTTP, credentials in the URL are refused; they belong in `connection_init`.
    verifyClient: ({ req }: { req: IncomingMessage }) => tokenParamIn(req.url) === undefined,
  });
  const cleanup = useServer<Record<string, unknown>>(
    {
      schema: subscriptions.apiGraphQLSchema,
      // A token that does not verify closes the socket (4403) before any operation runs.
      onConnect: async (ctx) => {
        try {
          await authenticateConnection(ctx.connectionParams?.['authorization'], ctx.extra.request.socket.remoteAddress);
          return true;
        } catch {
          return false;
        }
      },
      context: (ctx) =>
        authenticateConnection(ctx.connectionParams?.['authorization'], ctx.extra.request.socket.remoteAddress),
      // Every `subscribe` message, before it is even parsed: the one place each operation is counted.
      onSubscribe: async (ctx) => {
        let context: RouterContext;
        try {
          context = await authenticateConnection(
            ctx.connectionParams?.['authorization'],
            ctx.extra.request.socket.remoteAddress,
          );
        } catch (error) {
          // The token has expired since `connection_init`: this operation is refused
          // (UNAUTHENTICATED), rather than the socket closed as an internal error.
          if (error instanceof GraphQLError) return [error];
          throw error;
        }
        const refusal = await beforeOperation(context);
        return refusal ? [refusal] : undefined;
      },
      subscribe: (args) => subscriptions.subscribe(args),
      // The same error masking as over HTTP, for events and for refused operations.
      onNext: (_ctx, _id, _payload, _args, result) =>
        result.errors ? { ...result, errors: format(result.errors) } : undefined,
      onError: (_ctx, _id, _payload, errors) => format(errors),
      execute: async (args): Promise<ExecutionResult> => {
        const response = await apollo.executeOperation(
          {
            query: print(args.document),
            variables: (args.variableValues ?? {}) as Record<string, unknown>,
            ...(args.operationName ? { operationName: args.operationName } : {}),
          },
          { contextValue: args.contextValue as RouterContext },
        );
        if (response.body.kind !== 'single') throw new Error('Incremental delivery is not supported over WebSocket.');
        return response.body.singleResult as ExecutionResult;
      },
    },
    wsServer,
  );
  return {
    dispose: async () => {
      await cleanup.dispose();
      wsServer.close();
    },
  };
}

/** `extensions.http` sets an HTTP response's status and headers (Apollo strips it there); a socket has none. */
function withoutHttp(error: GraphQLFormattedError): GraphQLFormattedError {
  if (!error.extensions || !('http' in error.extensions)) return error;
  const { http: _http, ...extensions } = error.extensions;
  return { ...error, extensions };
}
