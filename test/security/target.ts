// What a security probe is given: the stack under audit, and clients that each call it
// from their own loopback address, so that one probe's requests never spend another's
// per-address rate limits (every address in 127.0.0.0/8 reaches the router).
import { join } from 'node:path';
import { createClient, type Client } from 'graphql-ws';
import { Agent, fetch } from 'undici';
import WebSocket from 'ws';
import type { GraphQLResponse } from '#internal/testkit';
import { mailsIn, tokenIn } from '../setup/mailbox.js';

export interface ProbeTarget {
  routerUrl: string;
  /** Subgraph name → its own GraphQL URL, to knock on them directly. */
  subgraphUrls: Record<string, string>;
  /** The environment the stack's services got (DATA_DIR, MONGODB_URI, the keys…). */
  serviceEnv: NodeJS.ProcessEnv;
}

export interface SignedUp {
  id: string;
  email: string;
  password: string;
  token: string;
  refreshToken: string;
}

let nextAddress = 10;

/** A caller from an address of its own (127.0.<n>.<m>). */
export class ProbeClient {
  readonly address: string;
  private readonly agent: Agent;

  constructor(readonly target: ProbeTarget) {
    const n = (nextAddress += 1);
    this.address = `127.0.${Math.floor(n / 250) % 250}.${(n % 250) + 2}`;
    // On the agent itself: undici ignores a `localAddress` under `connect`.
    this.agent = new Agent({ localAddress: this.address });
  }

  /** POSTs one operation to `url` (the router by default). */
  async gql<T = Record<string, any>>(
    query: string,
    variables: Record<string, unknown> = {},
    token?: string,
    url = this.target.routerUrl,
    headers: Record<string, string> = {},
  ): Promise<GraphQLResponse<T> & { status: number }> {
    const response = await this.fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...headers,
      },
      body: JSON.stringify({ query, variables }),
    });
    const text = await response.text();
    let body: GraphQLResponse<T> = {};
    try {
      body = JSON.parse(text) as GraphQLResponse<T>;
    } catch {
      body = { errors: [{ message: text.slice(0, 200), extensions: { code: `HTTP_${response.status}` } }] };
    }
    return { ...body, status: response.status };
  }

  fetch(url: string, init: Parameters<typeof fetch>[1] = {}): ReturnType<typeof fetch> {
    return fetch(url, { ...init, dispatcher: this.agent });
  }

  /** A graphql-ws client on the router (or `url`) from this address; the token goes in `connection_init`. */
  ws(token?: string, url = this.target.routerUrl, params?: Record<string, unknown>): Client {
    const localAddress = this.address;
    class BoundWebSocket extends WebSocket {
      constructor(address: string | URL, protocols?: string | string[]) {
        super(address, protocols, { localAddress });
      }
    }
    return createClient({
      url: url.replace(/^http/, 'ws'),
      webSocketImpl: BoundWebSocket,
      retryAttempts: 0,
      lazy: true,
      connectionParams: params ?? (token ? { authorization: `Bearer ${token}` } : {}),
    });
  }

  async signUp(name = 'Probe User', email = uniqueEmail('probe')): Promise<SignedUp> {
    const password = 'correct horse battery staple';
    const result = await this.gql<{
      signUp: { accessToken: string; refreshToken: string; user: { id: string } };
    }>(
      /* GraphQL */ `
        mutation ($input: SignUpInput!) {
          signUp(input: $input) {
            accessToken
            refreshToken
            user {
              id
            }
          }
        }
      `,
      { input: { email, password, name } },
    );
    const payload = result.data?.signUp;
    if (!payload) throw new Error(`signUp failed: ${JSON.stringify(result.errors)}`);
    return { id: payload.user.id, email, password, token: payload.accessToken, refreshToken: payload.refreshToken };
  }

  async close(): Promise<void> {
    await this.agent.close();
  }
}

let counter = 0;
export const uniqueEmail = (prefix: string): string =>
  `${prefix}-${Date.now().toString(36)}-${(counter += 1)}@example.com`;

const outboxOf = (target: ProbeTarget): string => join(target.serviceEnv['DATA_DIR'] ?? '.data', 'outbox');

/** Mails to `to` in the stack's outbox (no SMTP_URL), newest first. */
export const mailsTo = (target: ProbeTarget, to: string): Promise<string[]> => mailsIn(outboxOf(target), to);

/** The token of the newest `path` link mailed to `to`, waiting up to 5 s for it. */
export const mailedToken = (target: ProbeTarget, to: string, path: string): Promise<string> =>
  tokenIn(outboxOf(target), to, path);
