import type { ApolloServerPlugin } from '@apollo/server';
import type { RequestHandler } from 'express';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

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
