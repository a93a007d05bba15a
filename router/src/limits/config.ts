import type { EnvReader } from '#internal/config';

/** Request rate limits at the router, over a sliding window of one minute. */
export interface RateLimitConfig {
  /** Requests per minute from one client address; 0 disables. @default 600 */
  ipPerMinute: number;
  /** Requests per minute by one signed-in user, from any address; 0 disables. @default 1200 */
  userPerMinute: number;
  /** Prefix of the Redis keys (with `REDIS_URL`), shared by every router instance. @default ufe:ratelimit: */
  keyPrefix: string;
}

/** What one WebSocket client may hold open. */
export interface SocketLimitConfig {
  /** The largest frame a client may send, in bytes: subscriptions only, so less than an HTTP body. @default 1 MiB */
  maxPayloadBytes: number;
  /** Subscriptions open at once on one socket. @default 25 */
  subscriptionsPerSocket: number;
  /** Subscriptions open at once by one user (or one address, when anonymous) on one router instance. @default 100 */
  subscriptionsPerUser: number;
}

export const DEFAULT_IP_PER_MINUTE = 600;
export const DEFAULT_USER_PER_MINUTE = 1200;

/** `RATE_LIMIT_IP_PER_MINUTE`, `RATE_LIMIT_USER_PER_MINUTE`, `RATE_LIMIT_KEY_PREFIX`. */
export function readRateLimitConfig(reader: EnvReader): RateLimitConfig {
  const perMinute = 'requests per minute (0 disables the limit)';
  return {
    ipPerMinute: reader.count('RATE_LIMIT_IP_PER_MINUTE', DEFAULT_IP_PER_MINUTE, perMinute),
    userPerMinute: reader.count('RATE_LIMIT_USER_PER_MINUTE', DEFAULT_USER_PER_MINUTE, perMinute),
    keyPrefix: reader.string('RATE_LIMIT_KEY_PREFIX', 'ufe:ratelimit:'),
  };
}

/** `WS_MAX_PAYLOAD_BYTES`, `WS_MAX_SUBSCRIPTIONS_PER_SOCKET`, `WS_MAX_SUBSCRIPTIONS_PER_USER`. */
export function readSocketLimitConfig(reader: EnvReader): SocketLimitConfig {
  return {
    maxPayloadBytes: reader.count('WS_MAX_PAYLOAD_BYTES', 1024 * 1024, 'bytes'),
    subscriptionsPerSocket: reader.count('WS_MAX_SUBSCRIPTIONS_PER_SOCKET', 25, 'subscriptions'),
    subscriptionsPerUser: reader.count('WS_MAX_SUBSCRIPTIONS_PER_USER', 100, 'subscriptions'),
  };
}
