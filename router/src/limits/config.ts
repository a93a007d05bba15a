import { ConfigError, type EnvReader } from '../../../internal/config/index.js';

/** Request rate limits at the router, over a sliding window of one minute. */
export interface RateLimitConfig {
  /** Requests per minute from one client address; 0 disables. @default 600 */
  ipPerMinute: number;
  /** Requests per minute by one signed-in user, from any address; 0 disables. @default 1200 */
  userPerMinute: number;
  /** Prefix of the Redis keys (with `REDIS_URL`), shared by every router instance. @default ufe:ratelimit: */
  keyPrefix: string;
}

export const DEFAULT_IP_PER_MINUTE = 600;
export const DEFAULT_USER_PER_MINUTE = 1200;

/**
 * `RATE_LIMIT_IP_PER_MINUTE`, `RATE_LIMIT_USER_PER_MINUTE`, `RATE_LIMIT_KEY_PREFIX`.
 * Returns the problems found rather than throwing, for the caller to report with its own.
 */
export function readRateLimitConfig(reader: EnvReader): { rateLimits: RateLimitConfig; problems: string[] } {
  const problems: string[] = [];
  const count = (name: string, fallback: number): number => {
    const raw = reader.string(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (/^\d+$/.test(raw) && Number.isSafeInteger(value)) return value;
    problems.push(`${name}=${raw} is not a whole number of requests per minute (0 disables the limit)`);
    return fallback;
  };
  return {
    rateLimits: {
      ipPerMinute: count('RATE_LIMIT_IP_PER_MINUTE', DEFAULT_IP_PER_MINUTE),
      userPerMinute: count('RATE_LIMIT_USER_PER_MINUTE', DEFAULT_USER_PER_MINUTE),
      keyPrefix: reader.string('RATE_LIMIT_KEY_PREFIX', 'ufe:ratelimit:'),
    },
    problems,
  };
}

/** `reader.done(service)`, also reporting `problems` found outside the reader, all in one error. */
export function doneWith(reader: EnvReader, service: string, problems: readonly string[]): void {
  const extra = problems.map((problem) => `\n  - ${problem}`).join('');
  try {
    reader.done(service);
  } catch (error) {
    if (error instanceof ConfigError) throw new ConfigError(error.message + extra);
    throw error;
  }
  if (extra) throw new ConfigError(`${service}: invalid configuration${extra}`);
}
