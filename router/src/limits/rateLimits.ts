import type { Request, RequestHandler, Response } from 'express';
import { Counter, type Registry } from 'prom-client';
import type { Identity } from '#internal/auth';
import { AppError, ErrorCode } from '#internal/errors';
import type { Logger } from '#internal/logger';
import { createRateLimiter, type RateLimiter, type RateLimitRule } from '#internal/ratelimit';
import type { RouterContext } from '../context.js';
import type { RateLimitConfig } from './config.js';

export const RATE_LIMIT_WINDOW_MS = 60_000;

type LimitKind = 'ip' | 'user';
type Transport = 'http' | 'ws';

export interface Refusal {
  /** Whole seconds until the request would be allowed (at least 1). */
  retryAfterSeconds: number;
  /** The limits that refused it. */
  limits: LimitKind[];
}

/** IPv4 clients on a dual-stack socket show up as `::ffff:a.b.c.d`; one client, one key. */
const normalizeIp = (ip: string): string => (ip.startsWith('::ffff:') && ip.includes('.') ? ip.slice(7) : ip);

/**
 * The router's request rate limits: every GraphQL request over HTTP and every operation
 * started over WebSocket counts against its client address and, when signed in, its
 * user; a request over either limit is refused with RATE_LIMITED and is counted nowhere.
 *
 * The address is the socket's peer (Express `req.ip` with `trust proxy` off, as now).
 * Behind a load balancer every client would share its address: that deployment needs
 * Express `trust proxy` set to the proxies' addresses (future configuration) so that
 * `req.ip` comes from `X-Forwarded-For`, and the WebSocket upgrade would need the same.
 */
export class RouterRateLimits {
  private readonly refused: Counter<'limit' | 'transport'>;

  constructor(
    private readonly config: RateLimitConfig,
    private readonly limiter: RateLimiter,
    private readonly logger: Logger,
    registry: Registry,
  ) {
    this.refused = new Counter({
      name: 'rate_limited_requests_total',
      help: 'Requests refused with RATE_LIMITED, by the limit that refused them and transport.',
      labelNames: ['limit', 'transport'] as const,
      registers: [registry],
    });
  }

  /** `REDIS_URL` set: one count shared by every router instance; otherwise this process's own. */
  static create(
    config: RateLimitConfig,
    redisUrl: string | undefined,
    logger: Logger,
    registry: Registry,
  ): RouterRateLimits {
    let lastLogged = 0;
    const limiter = createRateLimiter(redisUrl, {
      windowMs: RATE_LIMIT_WINDOW_MS,
      prefix: config.keyPrefix,
      onError: (error) => {
        // While Redis is away every request would log; once in a while is enough.
        if (Date.now() - lastLogged < 30_000) return;
        lastLogged = Date.now();
        logger.warn({ err: error }, 'rate limits: Redis is failing; counting in this process until it is back');
      },
    });
    return new RouterRateLimits(config, limiter, logger, registry);
  }

  get kind(): RateLimiter['kind'] {
    return this.limiter.kind;
  }

  /** Counts one request; the refusal if it is over a limit. */
  async check(
    identity: Identity | null,
    clientIp: string | null | undefined,
    transport: Transport,
  ): Promise<Refusal | undefined> {
    const rules: (RateLimitRule & { kind: LimitKind })[] = [];
    if (this.config.ipPerMinute > 0 && clientIp) {
      rules.push({ kind: 'ip', key: `ip:${normalizeIp(clientIp)}`, limit: this.config.ipPerMinute });
    }
    if (this.config.userPerMinute > 0 && identity) {
      rules.push({ kind: 'user', key: `user:${identity.userId}`, limit: this.config.userPerMinute });
    }
    if (rules.length === 0) return undefined;
    const result = await this.limiter.hit(rules).catch((error: unknown) => {
      this.logger.error({ err: error }, 'rate limits: check failed; request allowed');
      return undefined;
    });
    if (!result || result.allowed) return undefined;
    const limits = rules.filter((rule) => result.exceeded.includes(rule.key)).map((rule) => rule.kind);
    for (const limit of limits) this.refused.inc({ limit, transport });
    this.logger.debug({ limits, clientIp, userId: identity?.userId, transport }, 'rate limited');
    return { retryAfterSeconds: Math.max(1, Math.ceil(result.retryAfterMs / 1000)), limits };
  }

  /** The error for a refused request: a GraphQL error with code RATE_LIMITED and `retryAfterSeconds`. */
  error(refusal: Refusal): AppError {
    const per = refusal.limits.includes('ip')
      ? `${this.config.ipPerMinute} requests a minute from one address`
      : `${this.config.userPerMinute} requests a minute per user`;
    const seconds = refusal.retryAfterSeconds;
    return new AppError(
      ErrorCode.RATE_LIMITED,
      `Too many requests: the limit is ${per}. Retry in ${seconds} second${seconds === 1 ? '' : 's'}.`,
      { retryAfterSeconds: seconds },
    );
  }

  /**
   * Express middleware for `/graphql` (mounted after the playground page, so that page is
   * not counted): a GET or POST over a limit gets 429, `Retry-After` and a GraphQL-shaped
   * body. It authenticates the request to know its user, and leaves that context for
   * Apollo (`authenticatedContext`) so a request is authenticated once; a token that does
   * not verify counts against the address only, and Apollo then refuses it as before.
   */
  http(authenticateRequest: (req: Request) => Promise<RouterContext>): RequestHandler {
    return async (req, res, next) => {
      if (req.method !== 'GET' && req.method !== 'POST') {
        next();
        return;
      }
      const context = authenticateRequest(req);
      res.locals[CONTEXT_LOCAL] = context;
      const identity = await context.then(
        (value) => value.identity,
        () => null,
      );
      const refusal = await this.check(identity, req.ip, 'http');
      if (!refusal) {
        next();
        return;
      }
      const { message, extensions } = this.error(refusal);
      res
        .status(429)
        .set('retry-after', String(refusal.retryAfterSeconds))
        .json({
          errors: [{ message, extensions: { code: extensions.code, retryAfterSeconds: refusal.retryAfterSeconds } }],
        });
    };
  }

  close(): Promise<void> {
    return this.limiter.close();
  }
}

const CONTEXT_LOCAL = 'ufeRouterContext';

/** The context the rate-limit middleware already authenticated for this response, if any. */
export function authenticatedContext(res: Response): Promise<RouterContext> | undefined {
  return res.locals[CONTEXT_LOCAL] as Promise<RouterContext> | undefined;
}
