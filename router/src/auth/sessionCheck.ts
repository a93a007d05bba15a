import DataLoader from 'dataloader';
import { GraphQLError } from 'graphql';
import { createClient, type Client } from 'graphql-ws';
import { LRUCache } from 'lru-cache';
import { Counter, Gauge, type Registry } from 'prom-client';
import WebSocket from 'ws';
import { IDENTITY_HEADER, IDENTITY_PARAM, ROUTER, type AssertionSigner } from '#internal/auth';
import { ErrorCode } from '#internal/errors';
import type { Logger } from '#internal/logger';

export interface SessionCheckOptions {
  /** How long a live answer is trusted while revocations stream in. @default 60 s */
  ttlMs: number;
  /** How long while the stream is down (revocations may be missed). @default 1 s */
  ttlWithoutStreamMs: number;
}

export const sessionEnded = (): GraphQLError =>
  new GraphQLError('This session has been signed out; sign in again.', {
    extensions: {
      code: ErrorCode.UNAUTHENTICATED,
      reason: 'SESSION_REVOKED',
      http: { status: 401, headers: new Map([['www-authenticate', 'Bearer']]) },
    },
  });

/** Access tokens live 15 minutes: a revoked session is remembered that long. */
const REVOKED_REMEMBERED_MS = 16 * 60_000;
/** While users cannot be asked, a session confirmed live this recently is still taken as live. */
const STALE_IF_UNREACHABLE_MS = 5 * 60_000;

const cannotCheck = (): GraphQLError =>
  new GraphQLError('Sign-in cannot be checked right now; try again in a moment.', {
    extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR, http: { status: 503 } },
  });

interface Answer {
  live: boolean;
  at: number;
}

const LIVE_SESSIONS = 'query LiveSessions($ids: [ID!]!) { liveSessions(ids: $ids) }';

/**
 * Whether the session behind an access token is still live: signing out, revoking a
 * session, changing or resetting the password, reusing a refresh token and deleting the
 * account all end sessions in the users subgraph, and their access tokens must stop with
 * them, not 15 minutes later. Asked of users (batched), cached per session, and kept
 * honest by users' stream of revocations: while it flows, a live answer is trusted for
 * `ttlMs` and a revocation applies at once; while it is down, for `ttlWithoutStreamMs`.
 */
export class SessionCheck {
  private readonly answers = new LRUCache<string, Answer>({ max: 200_000 });
  private readonly loader: DataLoader<string, boolean>;
  private readonly listeners = new Set<(sessionIds: readonly string[]) => void>();
  private streaming = false;
  private disposed = false;
  private readonly stream: Client;
  private readonly heard: Counter;

  constructor(
    private readonly usersUrl: string,
    private readonly assertions: AssertionSigner,
    private readonly logger: Logger,
    registry: Registry,
    private readonly options: SessionCheckOptions = { ttlMs: 60_000, ttlWithoutStreamMs: 1_000 },
  ) {
    this.loader = new DataLoader((ids) => this.fetchLive(ids), { cache: false, maxBatchSize: 500 });
    this.heard = new Counter({
      name: 'router_session_revocations_total',
      help: 'Session revocations heard from the users domain.',
      registers: [registry],
    });
    const stream: Gauge = new Gauge({
      name: 'router_session_revocation_stream',
      help: '1 while revocations stream in from users (live answers trusted for a minute), 0 while not (a second).',
      registers: [registry],
      collect: () => {
        stream.set(this.streaming ? 1 : 0);
      },
    });
    this.stream = this.openStream();
  }

  /**
   * Whether the session is live; a revoked one stays revoked. When users cannot be asked,
   * a session confirmed live in the last 5 minutes still is (revocations heard before
   * stay applied), and any other is refused with a 503.
   */
  async isLive(sessionId: string): Promise<boolean> {
    const now = Date.now();
    const known = this.answers.get(sessionId);
    if (known && (!known.live || now - known.at < this.ttl())) return known.live;
    let live: boolean;
    try {
      live = await this.loader.load(sessionId);
    } catch (error) {
      this.logger.warn({ err: error }, 'sessions: users cannot be asked');
      if (known?.live && now - known.at < STALE_IF_UNREACHABLE_MS) return true;
      throw cannotCheck();
    }
    // A revocation heard while this was asked wins.
    if (this.answers.get(sessionId)?.live === false) return false;
    this.remember(sessionId, live, now);
    return live;
  }

  /** Called with the ids of sessions as their revocations arrive. */
  onRevoked(listener: (sessionIds: readonly string[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    await this.stream.dispose();
  }

  private ttl(): number {
    return this.streaming ? this.options.ttlMs : this.options.ttlWithoutStreamMs;
  }

  private remember(sessionId: string, live: boolean, at: number): void {
    this.answers.set(sessionId, { live, at }, live ? {} : { ttl: REVOKED_REMEMBERED_MS });
  }

  private revoked(sessionIds: readonly string[]): void {
    const now = Date.now();
    for (const id of sessionIds) this.remember(id, false, now);
    this.heard.inc(sessionIds.length);
    for (const listener of this.listeners) listener(sessionIds);
  }

  private async fetchLive(ids: readonly string[]): Promise<boolean[]> {
    const assertion = await this.assertions.sign('users', { identity: null, clientIp: null, service: ROUTER });
    const response = await fetch(this.usersUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [IDENTITY_HEADER]: assertion },
      body: JSON.stringify({ query: LIVE_SESSIONS, variables: { ids } }),
      signal: AbortSignal.timeout(5_000),
    });
    const body = (await response.json()) as { data?: { liveSessions?: string[] } | null; errors?: unknown[] };
    const live = body.data?.liveSessions;
    if (!response.ok || !live) throw new Error(`users could not say which sessions are live: ${response.status}`);
    const set = new Set(live);
    return ids.map((id) => set.has(id));
  }

  /** Users' revocations, over one socket that reconnects for as long as the router runs. */
  private openStream(): Client {
    const client = createClient({
      url: this.usersUrl.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      lazy: false,
      retryAttempts: Number.POSITIVE_INFINITY,
      shouldRetry: () => true,
      retryWait: async (retries) => {
        await new Promise((resolve) => setTimeout(resolve, Math.min(5_000, 250 * 2 ** retries)));
      },
      connectionParams: async () => ({
        [IDENTITY_PARAM]: await this.assertions.sign('users', { identity: null, clientIp: null, service: ROUTER }),
      }),
      on: {
        connected: () => {
          // Revocations may have been missed while it was down: live answers are asked again.
          for (const [id, answer] of this.answers.entries()) if (answer.live) this.answers.delete(id);
        },
        closed: () => {
          this.streaming = false;
        },
      },
    });
    // The stream opens with an empty event, so it is known to flow before any revocation.
    // A socket that drops is reconnected by the client; an ended stream is asked again.
    const subscribe = (): void => {
      client.subscribe<{ sessionRevocations: string[] }>(
        { query: 'subscription { sessionRevocations }' },
        {
          next: ({ data }) => {
            this.streaming = true;
            if (data?.sessionRevocations.length) this.revoked(data.sessionRevocations);
          },
          error: (error) => {
            this.streaming = false;
            this.logger.warn({ err: error }, 'session revocations: stream failed; checking sessions every second');
            resubscribe();
          },
          complete: () => {
            this.streaming = false;
            resubscribe();
          },
        },
      );
    };
    const resubscribe = (): void => {
      if (!this.disposed) setTimeout(subscribe, 1_000).unref();
    };
    subscribe();
    return client;
  }
}
