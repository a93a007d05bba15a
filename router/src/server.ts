import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import type { ExecutionResult } from 'graphql';
import { AssertionSigner, TokenService } from '#internal/auth';
import { maskError } from '#internal/errors';
import { createLogger } from '#internal/logger';
import { createMetrics, mountMetrics } from '#internal/metrics';
import { Authenticator } from './auth/authenticate.js';
import { FieldAuthorization } from './auth/fieldAuthorization.js';
import { rejectTokensInUrl } from './auth/rejectTokensInUrl.js';
import { SessionCheck } from './auth/sessionCheck.js';
import { useFieldAuthorization } from './auth/useFieldAuthorization.js';
import { VerifiedTokens } from './auth/verifiedTokens.js';
import type { RouterConfig } from './config.js';
import type { RouterContext } from './context.js';
import { createGateway, createServiceMap } from './gateway.js';
import { savingsMetrics } from './subgraphCalls/savingsMetrics.js';
import { authProxy } from './http/authProxy.js';
import { bodyErrors } from './http/bodyErrors.js';
import { playgroundAssets, playgroundPage, PLAYGROUND_ASSETS_PATH } from './http/playground.js';
import { readinessHandler } from './http/readiness.js';
import { operationLimits } from './limits/operationLimits.js';
import { authenticatedContext, RouterRateLimits } from './limits/rateLimits.js';
import { fanOutMetrics } from './subscriptions/fanOutMetrics.js';
import { SubscriptionRouter } from './subscriptions/subscriptionRouter.js';
import { useGraphqlWs } from './subscriptions/useGraphqlWs.js';
import { loadSupergraph } from './supergraph.js';

export interface RunningRouter {
  url: string;
  port: number;
  dispose: () => Promise<void>;
}

/** The router: HTTP and graphql-ws on `/graphql`, playground, health, readiness, metrics. */
export async function startRouter(config: RouterConfig): Promise<RunningRouter> {
  const logger = createLogger('router', config.logLevel);
  const loaded = await loadSupergraph(config.supergraphPath, config.subgraphUrls);
  const metrics = createMetrics('router');
  const services = createServiceMap(loaded.urls, savingsMetrics(metrics.registry));
  const limits = operationLimits(config.production);
  const tokens = new TokenService(config.jwtSecret);
  const assertions = AssertionSigner.router(config.jwtSecret);
  const authorization = new FieldAuthorization(loaded.apiSchema.toGraphQLJSSchema(), loaded.rules);
  const rateLimits = RouterRateLimits.create(config.rateLimits, config.redisUrl, logger, metrics.registry);
  const usersUrl = loaded.urls['users'];
  if (!usersUrl) logger.warn('no users subgraph: access tokens are checked by signature alone, not by session');
  const sessions = usersUrl ? new SessionCheck(usersUrl, assertions, logger, metrics.registry) : undefined;
  const authenticator = new Authenticator(new VerifiedTokens(tokens), assertions, sessions);
  const authenticateHttp = (req: express.Request): Promise<RouterContext> =>
    authenticator.authenticate(req.headers.authorization, req.ip);

  const app = express();
  app.disable('x-powered-by');
  const httpServer = createServer(app);
  const apollo = new ApolloServer<RouterContext>({
    gateway: createGateway(loaded, services),
    introspection: config.introspection,
    allowBatchedHttpRequests: false,
    includeStacktraceInErrorResponses: !config.production,
    validationRules: limits.validationRules,
    parseOptions: { maxTokens: limits.maxTokens },
    formatError: (formatted) => maskError(formatted, config.production),
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer, stopGracePeriodMillis: 2_000 }),
      ApolloServerPluginLandingPageDisabled(),
      metrics.plugin,
      ...limits.plugins,
      useFieldAuthorization(authorization),
      { serverWillStart: () => Promise.resolve({ drainServer: () => ws.dispose() }) },
    ],
  });
  const subscriptions = new SubscriptionRouter(loaded, services, authorization, logger, {
    runQuery: async (document, variables, contextValue) => {
      const response = await apollo.executeOperation({ query: document, variables }, { contextValue });
      if (response.body.kind !== 'single') throw new Error('A guard query cannot be incremental.');
      return response.body.singleResult as ExecutionResult;
    },
    fanOutAssertion: (service, scope) => assertions.sign(service, { identity: null, clientIp: null, fanOut: scope }),
  });
  fanOutMetrics(subscriptions, metrics.registry);
  const ws = useGraphqlWs(httpServer, apollo, subscriptions, {
    production: config.production,
    limits,
    socketLimits: config.socketLimits,
    authenticate: (authorization, clientIp) => authenticator.authenticate(authorization, clientIp),
    onSessionsRevoked: (listener) => sessions?.onRevoked(listener),
    beforeOperation: async ({ identity, clientIp }) => {
      const refusal = await rateLimits.check(identity, clientIp, 'ws');
      return refusal && rateLimits.error(refusal);
    },
  });
  let composed = false;
  await apollo.start();
  composed = true;

  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get(
    '/ready',
    readinessHandler(() => composed, loaded.urls),
  );
  const closeMetrics = await mountMetrics(app, metrics, config.metrics, config.host);
  // Browser sign-in (OIDC, GitHub, workspace SAML) lives in the users subgraph; counted like GraphQL requests.
  if (usersUrl) app.use('/auth', rateLimits.http(authenticateHttp), authProxy(usersUrl, assertions, logger));
  // The playground needs introspection: both follow INTROSPECTION.
  if (config.introspection) app.use(PLAYGROUND_ASSETS_PATH, playgroundAssets());
  app.get('/graphql', (req, res, next) => {
    const wantsPage =
      req.accepts(['application/graphql-response+json', 'application/json', 'text/html']) === 'text/html';
    if (!wantsPage || req.query['query'] !== undefined) next();
    else if (config.introspection) res.type('html').send(playgroundPage());
    else res.status(404).type('text/plain').send('The playground is off here (INTROSPECTION).\n');
  });
  app.use(
    '/graphql',
    rateLimits.http(authenticateHttp),
    rejectTokensInUrl,
    express.json({ limit: config.maxRequestBytes }),
    bodyErrors,
    expressMiddleware(apollo, {
      context: ({ req, res }) => authenticatedContext(res) ?? authenticateHttp(req),
    }),
  );

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(config.port, config.host, () => resolve());
  });
  const { port } = httpServer.address() as AddressInfo;
  const url = `http://${config.host}:${port}/graphql`;
  logger.info(
    { url, subgraphs: loaded.urls, rateLimits: { ...config.rateLimits, store: rateLimits.kind } },
    'router ready',
  );
  return {
    url,
    port,
    dispose: async () => {
      await apollo.stop();
      await rateLimits.close();
      await sessions?.dispose();
      await closeMetrics();
    },
  };
}
