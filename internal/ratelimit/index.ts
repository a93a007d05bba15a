import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';

// Sliding-window rate limits: at most `limit` hits per key in any window of `windowMs`.
//
// The algorithm is a sliding-window log: each accepted hit's time is kept until it is a
// window old, and a hit is refused while `limit` of them are still inside the window. It
// is exact: no double burst at window edges as with fixed windows (rate-limiter-flexible,
// express-rate-limit), and no estimate as with the sliding-window counter, which lets a
// "6th request in a minute" through just after a window boundary. A refused hit is not
// recorded, so a key never holds more than `limit` entries. In-process, each key is an
// array of times; in Redis, a sorted set scored by time, read and updated by one Lua
// script so that instances never race.

export interface RateLimitRule {
  /** What is counted, e.g. `ip:203.0.113.7`; the Redis limiter adds its key prefix. */
  key: string;
  /** Hits allowed in any window; a rule with 0 (or less) limits nothing. */
  limit: number;
}

export interface RateLimitResult {
  allowed: boolean;
  /** When refused, how long until the hit would be allowed (ms, > 0); 0 when allowed. */
  retryAfterMs: number;
  /** The keys of the rules that refused, in the order given. */
  exceeded: string[];
}

export interface RateLimiter {
  readonly kind: 'memory' | 'redis';
  /**
   * One hit against every rule, all or nothing: if any rule is at its limit the hit is
   * refused and counted nowhere, so a refused request does not use up another quota.
   */
  hit(rules: readonly RateLimitRule[]): Promise<RateLimitResult>;
  close(): Promise<void>;
}

const ALLOWED: RateLimitResult = Object.freeze({ allowed: true, retryAfterMs: 0, exceeded: [] as string[] });
const allowed = (): RateLimitResult => ({ ...ALLOWED, exceeded: [] });

export interface MemoryRateLimiterOptions {
  windowMs: number;
  /**
   * At most this many keys are kept; past it the least recently hit key is dropped (its
   * client starts afresh). With the periodic pruning this bounds memory to about
   * `maxKeys × limit × 8` bytes however many addresses show up. @default 50_000
   */
  maxKeys?: number;
  /** Milliseconds on a monotonic clock. @default performance.now */
  now?: () => number;
  /** How often keys with no hit left in the window are dropped; 0 for never (tests). @default windowMs */
  pruneEveryMs?: number;
}

/** The in-process limiter, for a single instance (no `REDIS_URL`). */
export class MemoryRateLimiter implements RateLimiter {
  readonly kind = 'memory';
  /** Times of the accepted hits per key, oldest first; Map order is least recently hit first. */
  private readonly logs = new Map<string, number[]>();
  private readonly windowMs: number;
  private readonly maxKeys: number;
  private readonly now: () => number;
  private readonly timer: NodeJS.Timeout | undefined;

  constructor(options: MemoryRateLimiterOptions) {
    this.windowMs = options.windowMs;
    this.maxKeys = options.maxKeys ?? 50_000;
    this.now = options.now ?? (() => performance.now());
    const every = options.pruneEveryMs ?? options.windowMs;
    if (every > 0) {
      this.timer = setInterval(() => this.prune(), every);
      this.timer.unref();
    }
  }

  /** How many keys are held, for tests and metrics. */
  get size(): number {
    return this.logs.size;
  }

  hit(rules: readonly RateLimitRule[]): Promise<RateLimitResult> {
    return Promise.resolve(this.hitNow(rules));
  }

  /** `hit`, synchronously. */
  hitNow(rules: readonly RateLimitRule[]): RateLimitResult {
    const active = rules.filter((rule) => rule.limit > 0);
    if (active.length === 0) return allowed();
    const now = this.now();
    const expired = now - this.windowMs;
    const logs = active.map((rule) => this.live(rule.key, expired));
    let retryAfterMs = 0;
    const exceeded: string[] = [];
    active.forEach((rule, index) => {
      const log = logs[index] ?? [];
      if (log.length < rule.limit) return;
      exceeded.push(rule.key);
      // The hit is allowed once all but `limit - 1` of the logged hits have left the window.
      const freedAt = (log[log.length - rule.limit] ?? now) + this.windowMs;
      retryAfterMs = Math.max(retryAfterMs, freedAt - now);
    });
    if (exceeded.length > 0) return { allowed: false, retryAfterMs: Math.max(1, Math.ceil(retryAfterMs)), exceeded };
    active.forEach((rule, index) => {
      const log = logs[index] ?? [];
      log.push(now);
      this.logs.delete(rule.key);
      this.logs.set(rule.key, log);
    });
    for (const key of this.logs.keys()) {
      if (this.logs.size <= this.maxKeys) break;
      this.logs.delete(key);
    }
    return allowed();
  }

  /** Drops every key whose hits have all left the window. */
  prune(): void {
    const expired = this.now() - this.windowMs;
    for (const [key, log] of this.logs) {
      const newest = log[log.length - 1];
      if (newest === undefined || newest <= expired) this.logs.delete(key);
    }
  }

  close(): Promise<void> {
    clearInterval(this.timer);
    this.logs.clear();
    return Promise.resolve();
  }

  /** The key's log without the hits that have left the window (a new empty one if none). */
  private live(key: string, expired: number): number[] {
    const log = this.logs.get(key) ?? [];
    let stale = 0;
    while (stale < log.length && (log[stale] ?? 0) <= expired) stale += 1;
    if (stale > 0) log.splice(0, stale);
    return log;
  }
}

/**
 * KEYS: the sorted sets; ARGV: window (ms), a unique member for this hit, then each key's
 * limit. The time is Redis's own (`TIME`), so instances with skewed clocks agree; Redis 5
 * or later replicates the script's effects, which allows `TIME` before writes. All keys
 * are in one script, which a Redis Cluster would need in one hash slot.
 */
const HIT_SCRIPT = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local window = tonumber(ARGV[1])
local retry = 0
local result = {1, 0}
for i, key in ipairs(KEYS) do
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
  local limit = tonumber(ARGV[i + 2])
  local count = redis.call('ZCARD', key)
  if count >= limit then
    local freed = redis.call('ZRANGE', key, count - limit, count - limit, 'WITHSCORES')
    local wait = tonumber(freed[2]) + window - now
    if wait > retry then retry = wait end
    result[1] = 0
    result[#result + 1] = i
  end
end
if result[1] == 1 then
  for _, key in ipairs(KEYS) do
    redis.call('ZADD', key, now, ARGV[2])
    redis.call('PEXPIRE', key, window)
  end
end
result[2] = math.ceil(retry)
return result
`;
const COMMAND = 'ufeSlidingWindowHit';
type HitCommand = (numberOfKeys: number, ...args: (string | number)[]) => Promise<number[]>;

export interface RedisRateLimiterOptions {
  windowMs: number;
  /** Prepended to every key, so that deployments (and test runs) sharing a Redis stay apart. */
  prefix: string;
  /**
   * Decides while Redis fails (down, timing out), so that an outage neither takes the API
   * down nor lifts every limit; without it such hits are allowed.
   */
  fallback?: RateLimiter;
  onError?: (error: unknown) => void;
}

/** The Redis limiter: one count per key for every instance that shares the Redis and prefix. */
export class RedisRateLimiter implements RateLimiter {
  readonly kind = 'redis';
  private readonly command: HitCommand;

  constructor(
    private readonly client: Redis,
    private readonly options: RedisRateLimiterOptions,
  ) {
    client.defineCommand(COMMAND, { lua: HIT_SCRIPT });
    this.command = (client as unknown as Record<string, HitCommand>)[COMMAND]?.bind(client) as HitCommand;
  }

  async hit(rules: readonly RateLimitRule[]): Promise<RateLimitResult> {
    const active = rules.filter((rule) => rule.limit > 0);
    if (active.length === 0) return allowed();
    // While the connection is down, decide at once rather than wait on reconnection.
    if (this.client.status !== 'ready') return this.unavailable(rules);
    // The member only has to be unique among hits on the key in the same millisecond.
    const member = randomBytes(9).toString('base64url');
    try {
      const [ok, retryAfterMs, ...exceeded] = await this.command(
        active.length,
        ...active.map((rule) => this.options.prefix + rule.key),
        this.options.windowMs,
        member,
        ...active.map((rule) => Math.floor(rule.limit)),
      );
      if (ok === 1) return allowed();
      return {
        allowed: false,
        retryAfterMs: Math.max(1, retryAfterMs ?? 1),
        exceeded: exceeded.map((index) => active[index - 1]?.key ?? ''),
      };
    } catch (error) {
      this.options.onError?.(error);
      return this.unavailable(rules);
    }
  }

  private unavailable(rules: readonly RateLimitRule[]): Promise<RateLimitResult> {
    return this.options.fallback ? this.options.fallback.hit(rules) : Promise.resolve(allowed());
  }

  /** The client and the fallback belong to the caller, who closes them. */
  close(): Promise<void> {
    return Promise.resolve();
  }
}

export interface CreateRateLimiterOptions {
  windowMs: number;
  /** Redis key prefix. @default 'ufe:ratelimit:' */
  prefix?: string;
  onError?: (error: unknown) => void;
}

/**
 * Redis-backed when `redisUrl` is set (shared by every instance), with an in-process
 * limiter deciding while Redis is unreachable; in-process otherwise.
 */
export function createRateLimiter(redisUrl: string | undefined, options: CreateRateLimiterOptions): RateLimiter {
  const memory = new MemoryRateLimiter({ windowMs: options.windowMs });
  if (!redisUrl) return memory;
  // Fail fast rather than hold requests while Redis is away: the fallback decides instead.
  const client = new Redis(redisUrl, { maxRetriesPerRequest: 1, commandTimeout: 1_000 });
  client.on('error', (error: unknown) => options.onError?.(error));
  const redis = new RedisRateLimiter(client, {
    windowMs: options.windowMs,
    prefix: options.prefix ?? 'ufe:ratelimit:',
    fallback: memory,
    onError: options.onError,
  });
  return {
    kind: 'redis',
    hit: (rules) => redis.hit(rules),
    close: async () => {
      await memory.close();
      await client.quit().catch(() => client.disconnect());
    },
  };
}
