import type { IncomingMessage, Server } from 'node:http';
import type { ApolloServer } from '@apollo/server';
import {
  getOperationAST,
  GraphQLError,
  parse,
  print,
  SingleFieldSubscriptionsRule,
  specifiedRules,
  validate,
  type DocumentNode,
  type ExecutionResult,
  type GraphQLFormattedError,
  type GraphQLSchema,
} from 'graphql';
import type { Context } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import { ApolloServerErrorCode } from '@apollo/server/errors';
import { maskError } from '#internal/errors';
import { tokenParamIn } from '../auth/rejectTokensInUrl.js';
import type { RouterContext } from '../context.js';
import type { SocketLimitConfig } from '../limits/config.js';
import type { OperationLimits } from '../limits/operationLimits.js';
import type { SubscriptionRouter } from './subscriptionRouter.js';
import { SocketsBySession } from './socketsBySession.js';
import { SubscriptionCounts } from './subscriptionCounts.js';

export interface GraphqlWsOptions {
  production: boolean;
  /** The same parse and validation limits as over HTTP. */
  limits: OperationLimits;
  socketLimits: SocketLimitConfig;
  authenticate: (authorization: unknown, clientIp: string | undefined) => Promise<RouterContext>;
  /** Runs before every operation on a socket (rate limits); an error refuses that operation only. */
  beforeOperation: (context: RouterContext) => Promise<GraphQLError | undefined>;
  /** Tells of sessions as they are signed out: their sockets are closed at once. */
  onSessionsRevoked: (listener: (sessionIds: readonly string[]) => void) => void;
}

/** Closes the sockets of a signed-out session: graphql-ws's "Forbidden", with the reason. */
const SESSION_REVOKED_CLOSE = [4403, 'Session signed out'] as const;

/**
 * Every rule of HTTP's validation, but the single-root-field rule, which graphql-js
 * evaluates without variables (and throws on a variable in `@skip`/`@include`): the
 * subscription router finds the root field with the variables instead, and refuses
 * anything but exactly one, while `subscriptionRootRule` forbids conditional roots.
 */
const WS_SPECIFIED_RULES = specifiedRules.filter((rule) => rule !== SingleFieldSubscriptionsRule);

/**
 * graphql-ws on the router's `/graphql` path: subscriptions go through the subscription
 * router; queries and mutations sent over the socket go through Apollo, as over HTTP.
 * Browsers cannot set headers on the upgrade, so credentials come in `connection_init`.
 * A socket gets HTTP's operation limits, a frame size limit, and caps on the
 * subscriptions it and its user hold open (each may cost an upstream connection).
 */
export function useGraphqlWs(
  httpServer: Server,
  apollo: ApolloServer<RouterContext>,
  subscriptions: SubscriptionRouter,
  options: GraphqlWsOptions,
): { dispose: () => Promise<void> } {
  const { production, limits, socketLimits } = options;
  const schema = subscriptions.apiGraphQLSchema;
  const format = (errors: readonly (GraphQLError | GraphQLFormattedError)[]): GraphQLFormattedError[] =>
    errors.map((error) => maskError(withoutHttp(error instanceof GraphQLError ? error.toJSON() : error), production));
  const counts = new SubscriptionCounts(socketLimits);
  const sessionSockets = new SocketsBySession();
  options.onSessionsRevoked((sessionIds) => {
    for (const socket of sessionSockets.take(sessionIds)) socket.close(...SESSION_REVOKED_CLOSE);
  });
  const wsServer = new WebSocketServer({
    server: httpServer,
    path: '/graphql',
    // A bigger frame closes the socket (1009) before it is buffered.
    maxPayload: socketLimits.maxPayloadBytes,
    // As over HTTP, credentials in the URL are refused; they belong in `connection_init`.
    verifyClient: ({ req }: { req: IncomingMessage }) => tokenParamIn(req.url) === undefined,
  });
  const authenticateSocket = (ctx: Context<Record<string, unknown>>) =>
    options.authenticate(ctx.connectionParams?.['authorization'], addressOf(ctx));
  const cleanup = useServer<Record<string, unknown>>(
    {
      schema,
      // A token that does not verify closes the socket (4403) before any operation runs.
      onConnect: async (ctx) => {
        try {
          const { identity } = await authenticateSocket(ctx);
          if (identity?.sessionId) sessionSockets.add(identity.sessionId, socketOf(ctx), ctx);
          return true;
        } catch {
          return false;
        }
      },
      // Every `subscribe` message: the one place each operation is authenticated, counted,
      // parsed and validated with the limits, before anything runs.
      onSubscribe: async (ctx, id, payload) => {
        let context: RouterContext;
        try {
          context = await authenticateSocket(ctx);
        } catch (error) {
          // The token has expired since `connection_init`: this operation is refused
          // (UNAUTHENTICATED), rather than the socket closed as an internal error.
          if (error instanceof GraphQLError) return [error];
          throw error;
        }
        const refusal = await options.beforeOperation(context);
        if (refusal) return [refusal];
        const document = parseLimited(payload.query, limits.maxTokens);
        if (!('kind' in document)) return document;
        const invalid = validateLimited(schema, document, limits);
        if (invalid) return invalid;
        const operation = getOperationAST(document, payload.operationName);
        if (operation?.operation === 'subscription') {
          const capped = counts.open(ctx, id, context);
          if (capped) return [capped];
        }
        return {
          schema,
          document,
          operationName: payload.operationName ?? null,
          variableValues: payload.variables ?? null,
          contextValue: context,
        };
      },
      onComplete: (ctx, id) => {
        counts.close(ctx, id);
      },
      onClose: (ctx) => {
        counts.closeAll(ctx);
        sessionSockets.remove(ctx);
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

const socketOf = (ctx: Context<Record<string, unknown>>) => (ctx.extra as { socket: WebSocket }).socket;
const addressOf = (ctx: Context<Record<string, unknown>>) =>
  (ctx.extra as { request: IncomingMessage }).request.socket.remoteAddress;

/** The document, or the error Apollo gives for the same text over HTTP. */
function parseLimited(query: string, maxTokens: number): DocumentNode | GraphQLError[] {
  try {
    return parse(query, { maxTokens });
  } catch (error) {
    return [
      new GraphQLError((error as Error).message, { extensions: { code: ApolloServerErrorCode.GRAPHQL_PARSE_FAILED } }),
    ];
  }
}

/** The errors of validating with HTTP's rules and limits, coded as Apollo codes them; undefined when valid. */
function validateLimited(
  schema: GraphQLSchema,
  document: DocumentNode,
  limits: OperationLimits,
): GraphQLError[] | undefined {
  let errors: readonly GraphQLError[];
  try {
    errors = validate(schema, document, [...WS_SPECIFIED_RULES, ...limits.validationRules]);
  } catch (error) {
    // graphql-armor's rules throw their refusal rather than report it.
    errors = [error instanceof GraphQLError ? error : new GraphQLError((error as Error).message)];
  }
  if (errors.length === 0) return undefined;
  return errors.map(
    (error) =>
      new GraphQLError(error.message, {
        nodes: error.nodes ?? null,
        extensions: { ...error.extensions, code: ApolloServerErrorCode.GRAPHQL_VALIDATION_FAILED },
      }),
  );
}

/** `extensions.http` sets an HTTP response's status and headers (Apollo strips it there); a socket has none. */
function withoutHttp(error: GraphQLFormattedError): GraphQLFormattedError {
  if (!error.extensions || !('http' in error.extensions)) return error;
  const { http: _http, ...extensions } = error.extensions;
  return { ...error, extensions };
}
