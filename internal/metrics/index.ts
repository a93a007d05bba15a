import { timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import type { ApolloServerPlugin } from '@apollo/server';
import express, { type Express, type RequestHandler } from 'express';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Who may read `/metrics` (`METRICS_TOKEN`, `METRICS_PORT`). */
export interface MetricsAccess {
  /** Required as `Authorization: Bearer <token>` when set. */
  token: string | undefined;
  /** Served on this port only (not the service's own) when set. */
  port: number | undefined;
  /** Served at all: off in production unless a token or a port is set. */
  enabled: boolean;
}

/** One registry per process, with Node's default metrics and GraphQL request metrics. */
export interface Metrics {
  registry: Registry;
  handler: RequestHandler;
  plugin: ApolloServerPlugin;
}

export function createMetrics(service: string): Metrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });

  const requests = new Counter({
    name: 'graphql_requests_total',
    help: 'GraphQL operations executed, by operation type and outcome.',
    labelNames: ['operation', 'outcome'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'graphql_request_duration_seconds',
    help: 'Time from request received to response sent.',
    labelNames: ['operation'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });

  const plugin: ApolloServerPlugin = {
    requestDidStart: () => {
      const end = duration.startTimer();
      return Promise.resolve({
        willSendResponse: ({ operation, errors }) => {
          const kind = operation?.operation ?? 'unknown';
          end({ operation: kind });
          requests.inc({ operation: kind, outcome: errors && errors.length > 0 ? 'error' : 'ok' });
          return Promise.resolve();
        },
      });
    },
  };

  const handler: RequestHandler = (_req, res, next) => {
    registry
      .metrics()
      .then((text) => {
        res.setHeader('content-type', registry.contentType);
        res.send(text);
      })
      .catch(next);
  };

  return { registry, handler, plugin };
}

/**
 * Mounts `/metrics` as `access` says: on the service's own app, or on a listener of its
 * own (`port`, e.g. reachable by the scraper only), behind the bearer token when one is
 * set. Returns how to close the separate listener.
 */
export async function mountMetrics(
  app: Express,
  metrics: Metrics,
  access: MetricsAccess,
  host: string,
): Promise<() => Promise<void>> {
  if (!access.enabled) return () => Promise.resolve();
  const guarded: RequestHandler[] = access.token ? [bearer(access.token), metrics.handler] : [metrics.handler];
  if (access.port === undefined) {
    app.get('/metrics', ...guarded);
    return () => Promise.resolve();
  }
  const separate = express();
  separate.disable('x-powered-by');
  separate.get('/metrics', ...guarded);
  const server = createServer(separate);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(access.port, host, () => resolve());
  });
  return () => new Promise((resolve) => server.close(() => resolve()));
}

function bearer(token: string): RequestHandler {
  const expected = Buffer.from(`Bearer ${token}`);
  return (req, res, next) => {
    const given = Buffer.from(req.headers.authorization ?? '');
    if (given.length === expected.length && timingSafeEqual(given, expected)) {
      next();
      return;
    }
    res.status(401).set('www-authenticate', 'Bearer').type('text/plain').send('Metrics need the metrics token.\n');
  };
}
