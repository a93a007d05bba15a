import { EnvReader, readCommon, readJwtSecret, type CommonConfig, type Env } from '#internal/config';
import {
  readRateLimitConfig,
  readSocketLimitConfig,
  type RateLimitConfig,
  type SocketLimitConfig,
} from './limits/config.js';

export interface RouterConfig extends CommonConfig {
  /** Verifies user tokens; every subgraph's assertion key is derived from it. */
  jwtSecret: string;
  /** The supergraph SDL file to serve. @default schema/supergraph.graphql */
  supergraphPath: string;
  /** Subgraph URL overrides by subgraph name, from `SUBGRAPH_<NAME>_URL`. */
  subgraphUrls: Record<string, string>;
  /** Requests per minute per client address and per signed-in user (`RATE_LIMIT_*`). */
  rateLimits: RateLimitConfig;
  /** Frame size and open subscriptions per WebSocket client (`WS_*`). */
  socketLimits: SocketLimitConfig;
  /**
   * The largest HTTP request body, in bytes (`MAX_REQUEST_BYTES`): room for a 1 MB knowledge
   * document, a 2 MB flow import or a 1 MiB Yjs update in base64. @default 4 MiB
   */
  maxRequestBytes: number;
  /** Introspection and the playground (`INTROSPECTION`). @default on, off in production */
  introspection: boolean;
}

export function loadRouterConfig(env: Env): RouterConfig {
  const reader = new EnvReader(env);
  const subgraphUrls: Record<string, string> = {};
  for (const key of Object.keys(env)) {
    const match = /^SUBGRAPH_([A-Z0-9_]+)_URL$/.exec(key);
    const url = match?.[1] ? reader.url(key) : undefined;
    if (match?.[1] && url) subgraphUrls[match[1].toLowerCase()] = url;
  }
  const common = readCommon(reader, 4000);
  const config = {
    ...common,
    introspection: reader.flag('INTROSPECTION', !common.production),
    jwtSecret: readJwtSecret(reader),
    supergraphPath: reader.string('SUPERGRAPH_PATH', 'schema/supergraph.graphql'),
    subgraphUrls,
    rateLimits: readRateLimitConfig(reader),
    socketLimits: readSocketLimitConfig(reader),
    maxRequestBytes: reader.count('MAX_REQUEST_BYTES', 4 * 1024 * 1024, 'bytes'),
  };
  reader.done('router');
  return config;
}
