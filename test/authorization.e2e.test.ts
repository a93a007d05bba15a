// Field-level rules from the composed supergraph, enforced by the router before planning.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { deferred, gql, signUp, wsClient, type GraphQLResponse } from '#internal/testkit';
import { startPrivateFlows } from './setup/privateStack.js';

const url = inject('routerUrl');

describe('field-level authorization at the router', () => {
  let privateRouter = '';
  let flowsMetrics = '';
  let stop = async (): Promise<void> => undefined;

  beforeAll(async () => {
    const started = await startPrivateFlows();
    privateRouter = started.routerUrl;
    flowsMetrics = started.flowsUrl.replace(/\/graphql$/, '/metrics');
    stop = started.stop;
  }, 120_000);
  afterAll(() => stop());

  /** Operations the private flows subgraph has executed (its own /metrics). */
  async function flowsOperations(): Promise<number> {
    const text = await (await fetch(flowsMetrics)).text();
    return [...text.matchAll(/^graphql_requests_total\{[^}]*\} (\d+)/gm)].reduce((sum, m) => sum + Number(m[1]), 0);
  }

  /** POSTs without credentials, keeping the status. */
  async function anonymous(router: string, query: string, variables: Record<string, unknown> = {}) {
    const response = await fetch(router, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
    return { status: response.status, body: (await response.json()) as GraphQLResponse };
  }

  it('returns the authorized data, with the removed fields null and an error at each of their paths', async () => {
    const { status, body } = await anonymous(url, '{ plans { id } mine: mySubscription { status } }');
    expect(status).toBe(200);
    expect(body.data?.['plans']).toEqual(expect.arrayContaining([{ id: expect.any(String) }]));
    expect(body.data?.['mine']).toBeNull();
    expect(body.errors).toEqual([
      expect.objectContaining({
        message: 'Sign in to access: mine.',
        path: ['mine'],
        extensions: { code: 'UNAUTHENTICATED' },
      }),
    ]);
  });

  it('never asks the owning subgraph for a removed field; a removed non-null field nulls its parent', async () => {
    const user = await signUp(url);
    await gql(privateRouter, '{ flows { edges { node { id } } } }', {}, user.token);
    const before = await flowsOperations();
    expect(before).toBeGreaterThan(0); // the counter does count what reaches this subgraph

    // `$first` is only used by the removed field: it goes with it, and the operation stays valid.
    const query = 'query ($first: Int) { plans { id } list: flows(first: $first) { edges { node { id } } } }';
    const { status, body } = await anonymous(privateRouter, query, { first: 5 });
    expect(status).toBe(200);
    // `flows` is `FlowConnection!`: null propagates to `data`, as in Apollo Router.
    expect(body).toEqual({
      data: null,
      errors: [expect.objectContaining({ path: ['list'], extensions: { code: 'UNAUTHENTICATED' } })],
    });
    expect(await flowsOperations()).toBe(before);
  });

  it('refuses the whole operation (401, every refused path) when nothing authorized is left', async () => {
    const before = await flowsOperations();
    const { status, body } = await anonymous(
      privateRouter,
      '{ list: flows { edges { node { id } } } sessions { id } }',
    );
    expect(status).toBe(401);
    expect(body.data).toBeUndefined();
    expect(body.errors?.[0]?.message).toBe('Sign in to access: list, sessions.');
    expect(body.errors?.[0]?.extensions?.['fields']).toEqual([
      { path: 'list', code: 'UNAUTHENTICATED' },
      { path: 'sessions', code: 'UNAUTHENTICATED' },
    ]);
    expect(await flowsOperations()).toBe(before);
  });

  it('never serves a query plan across callers of one query text (the plan cache is per planned document)', async () => {
    const user = await signUp(url);
    const created = await gql(privateRouter, 'mutation { createFlow(input: { name: "Mine" }) { id } }', {}, user.token);
    const flowId = created.data?.['createFlow'].id as string;
    // A text no other test sends, so its plans are cached by this test alone.
    const query = `query Alternating { plans { id } list: flows { edges { node { id } } } }`;

    for (let round = 0; round < 2; round += 1) {
      const signedIn = await gql(privateRouter, query, {}, user.token);
      expect(signedIn.errors).toBeUndefined();
      expect(signedIn.data?.['list'].edges).toEqual([{ node: { id: flowId } }]);

      const before = await flowsOperations();
      const { body } = await anonymous(privateRouter, query);
      expect(body).toEqual({ data: null, errors: [expect.objectContaining({ path: ['list'] })] });
      expect(await flowsOperations()).toBe(before);
    }
  });

  it('refuses an anonymous subscription at subscribe time', async () => {
    const failed = deferred<unknown>();
    const client = wsClient(url);
    client.subscribe(
      { query: 'subscription { flowEvents(flowId: "x") { version } }' },
      { next: (result) => failed.resolve(result), error: failed.resolve, complete: () => undefined },
    );
    const result = (await failed.promise) as { errors: { message: string; extensions: { code: string } }[] };
    expect(result.errors[0]).toMatchObject({
      message: 'Sign in to access: flowEvents.',
      extensions: { code: 'UNAUTHENTICATED' },
    });
    await client.dispose();
  });
});
