import { GraphQLError, type ExecutionResult } from 'graphql';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { IDENTITY_PARAM } from '#internal/auth';
import { ErrorCode } from '#internal/errors';
import type { Logger } from '#internal/logger';
import type { FetchNode } from '@apollo/query-planner';

/** An upstream subscription: its events, and how to close it. */
export interface Upstream {
  events: AsyncIterableIterator<ExecutionResult>;
  close: () => Promise<void>;
}

const toWebSocketUrl = (httpUrl: string): string => httpUrl.replace(/^http/, 'ws');

/**
 * One upstream connection per upstream subscription, carrying the router's assertion
 * for that subgraph (the client's, or the fan-out's) in `connection_init`.
 */
export function openUpstream(
  url: string,
  assertion: () => Promise<string>,
  primary: FetchNode,
  variables: Record<string, unknown>,
): Upstream {
  const client: Client = createClient({
    url: toWebSocketUrl(url),
    webSocketImpl: WebSocket,
    lazy: true,
    retryAttempts: 0,
    connectionParams: async () => ({ [IDENTITY_PARAM]: await assertion() }),
  });
  const events = client.iterate({
    query: primary.operation,
    variables,
    ...(primary.operationName ? { operationName: primary.operationName } : {}),
  });
  return {
    // Upstream events are parsed JSON: errors are plain objects until completed.
    events: events as AsyncIterableIterator<ExecutionResult>,
    close: async () => {
      await events.return?.();
      await client.dispose();
    },
  };
}

/**
 * Upstream errors arrive as plain JSON (graphql-ws reports an `error` message as an
 * array of them); the client gets them as GraphQL errors with their codes. Anything else
 * (a dropped connection) is logged and reported without its details.
 */
export function upstreamErrors(error: unknown, logger: Logger): GraphQLError[] {
  if (Array.isArray(error)) {
    return error.map(
      (e: { message: string; extensions?: Record<string, unknown> }) =>
        new GraphQLError(e.message, { extensions: e.extensions ?? {} }),
    );
  }
  logger.error({ err: error }, 'upstream subscription failed');
  return [
    new GraphQLError('The subscription ended unexpectedly.', { extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } }),
  ];
}
