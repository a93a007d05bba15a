import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import type { GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { IDENTITY_HEADER, IDENTITY_PARAM, type AssertionVerifier, type RequestOrigin } from '#internal/auth';
import { ErrorCode } from '#internal/errors';
import { maskError } from '#internal/errors';
import type { Logger } from '#internal/logger';
import { createMetrics, mountMetrics, type Metrics, type MetricsAccess } from '#internal/metrics';

export interface SubgraphOptions<TContext> {
  name: string;
  host: string;
  /** 0 picks a free port. */
  port: number;
  schema: GraphQLSchema;
  production: boolean;
  logger: Logger;
  /**
   * Verifies the assertion every request must carry (the router's, or a trusted service's):
   * nothing else identifies a caller, and without one nothing is answered but health,
   * readiness and metrics.
   */
  assertions: AssertionVerifier;
  /** Builds the per-operation context from what the router asserts about the request. */
  context: (origin: RequestOrigin) => TContext;
  /** Named checks of the backing stores; `/ready` is 200 only when all pass. */
  readiness: () => Promise<Record<string, boolean>>;
  /** The registry to serve on `/metrics`, for domains that add their own metrics. */
  metrics?: Metrics;
  /** Who may read `/metrics` (`METRICS_TOKEN`, `METRICS_PORT`). */
  metricsAccess: MetricsAccess;
  /**
   * Plain HTTP routes a domain serves besides GraphQL (sign-in redirects and callbacks),
   * mounted behind the same assertion check: they are reached through the router.
   */
  routes?: (app: express.Express) => void;
}

export interface RunningSubgraph {
  url: string;
  port: number;
  dispose: () => Promise<void>;
}

/**
 * Serves one subgraph: GraphQL over HTTP and graphql-ws on `/graphql`, `/health`,
 * `/ready` and `/metrics`. The returned disposer drains requests and sockets.
 */
export async function startSubgraph<TContext extends object>(
  options: SubgraphOptions<TContext>,
): Promise<RunningSubgraph> {
  const { schema, assertions, logger } = options;
  const metrics = options.metrics ?? createMetrics(options.name);
  const app = express();
  const httpServer = createServer(app);
  const wsServer = new WebSocketServer({ server: httpServer, path: '/graphql' });
  // The origin each socket proved when it connected: its assertion may expire while it stays open.
  const socketOrigins = new WeakMap<object, RequestOrigin>();
  const wsCleanup = useServer(
    {
      schema,
      // Without a valid assertion the socket closes (4403) before any operation runs.
      onConnect: async (ctx) => {
        const origin = await assertions.verify(ctx.connectionParams?.[IDENTITY_PARAM]);
        if (origin) socketOrigins.set(ctx, origin);
        return origin !== null;
      },
      context: (ctx) => options.context(socketOrigins.get(ctx) ?? { identity: null, clientIp: null }),
      onError: (_ctx, _id, _payload, errors) => {
        logger.warn({ errors }, 'subscription failed');
      },
    },
    wsServer,
  );

  const apollo = new ApolloServer<TContext>({
    schema,
    // Only the router (and trusted services) get this far, and they may read the SDL.
    introspection: true,
    formatError: (formatted, error) => {
      if (formatted.extensions?.['code'] === undefined) logger.error({ err: error }, 'unexpected error');
      return maskError(formatted, options.production);
    },
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer, stopGracePeriodMillis: 2_000 }),
      ApolloServerPluginInlineTraceDisabled(),
      metrics.plugin,
      {
        serverWillStart: () =>
          Promise.resolve({
            drainServer: async () => {
              await wsCleanup.dispose();
            },
          }),
      },
    ],
  });
  await apollo.start();

  app.get('/health', (_req, res) => {
    res.json({ status: 'ok', service: options.name });
  });
  app.get('/ready', (_req, res, next) => {
    options
      .readiness()
      .then((checks) => {
        const ready = Object.values(checks).every(Boolean);
        res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready', service: options.name, checks });
      })
      .catch(next);
  });
  const closeMetrics = await mountMetrics(app, metrics, options.metricsAccess, options.host);
  app.use(routerOnly(assertions));
  options.routes?.(app);
  app.use(
    '/graphql',
    // Above the router's largest body (MAX_REQUEST_BYTES, 4 MiB): what it forwards is no bigger.
    express.json({ limit: '5mb' }),
    expressMiddleware(apollo, {
      context: ({ res }) => Promise.resolve(options.context(res.locals[ORIGIN] as RequestOrigin)),
    }),
  );

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(options.port, options.host, () => resolve());
  });
  const { port } = httpServer.address() as AddressInfo;
  const url = `http://${options.host}:${port}/graphql`;
  logger.info({ url }, `${options.name} subgraph ready`);

  return {
    url,
    port,
    dispose: async () => {
      await apollo.stop();
      wsServer.close();
      await closeMetrics();
    },
  };
}

const ORIGIN = 'ufeOrigin';

/**
 * Everything past health, readiness and metrics answers only a request with a valid
 * assertion: an anonymous call from the router carries one too, so `_service`,
 * `_entities` and every public field stay out of reach of anything else on the network.
 */
function routerOnly(assertions: AssertionVerifier): express.RequestHandler {
  return (req, res, next) => {
    assertions
      .verify(req.headers[IDENTITY_HEADER])
      .then((origin) => {
        if (origin) {
          res.locals[ORIGIN] = origin;
          next();
          return;
        }
        res.status(401).json({
          errors: [
            { message: 'This service answers only the router.', extensions: { code: ErrorCode.UNAUTHENTICATED } },
          ],
        });
      })
      .catch(next);
  };
}
