import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

import { gql, type GraphQLResponse } from './gql.js';

export { errorCodes, gql, type GraphQLResponse } from './gql.js';

let counter = 0;
export const uniqueEmail = (prefix = 'user'): string => `${prefix}-${Date.now()}-${(counter += 1)}@example.com`;

export interface TestUser {
  id: string;
  name: string;
  email: string;
  token: string;
  refreshToken: string;
}

export async function signUp(url: string, name = 'Test User'): Promise<TestUser> {
  const email = uniqueEmail();
  const result = await gql<{ signUp: { accessToken: string; refreshToken: string; user: { id: string } } }>(
    url,
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
    { input: { email, password: 'correct horse battery', name } },
  );
  const payload = result.data?.signUp;
  if (!payload) throw new Error(`signUp failed: ${JSON.stringify(result.errors)}`);
  return { id: payload.user.id, name, email, token: payload.accessToken, refreshToken: payload.refreshToken };
}

/** A graphql-ws client that authenticates in `connection_init`, as browsers must. */
export function wsClient(httpUrl: string, token?: string): Client {
  return createClient({
    url: httpUrl.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
  });
}

/** A promise with its resolve/reject handles, for asserting on async events. */
export function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (error: unknown) => void } {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

export interface LogInPayload {
  accessToken: string;
  refreshToken: string;
  user: { id: string; email: string; twoFactorEnabled: boolean };
}

const LOG_IN = /* GraphQL */ `
  mutation ($input: LogInInput!) {
    logIn(input: $input) {
      accessToken
      refreshToken
      user {
        id
        email
        twoFactorEnabled
      }
    }
  }
`;

/** The `logIn` mutation; errors are returned, not thrown, so refusals can be asserted. */
export const logIn = (
  url: string,
  input: { email: string; password: string; totp?: string },
): Promise<GraphQLResponse<{ logIn: LogInPayload }>> => gql<{ logIn: LogInPayload }>(url, LOG_IN, { input });
export { FLOWS_PAGE_QUERY, seedWorkspaceFlows } from './workspacePage.js';
