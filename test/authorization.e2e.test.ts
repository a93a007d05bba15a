// Field-level rules from the composed supergraph, enforced by the router before planning.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { deferred, gql, signUp, wsClient } from '../internal/testing/index.js';
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

  it('refuses an anonymous @authenticated field without asking the owning subgraph anything', async () => {
    const user = await signUp(url);
    await gql(privateRouter, '{ flows { edges { node { id } } } }', {}, user.token);
    const before = await flowsOperations();
    expect(before).toBeGreaterThan(0); // the counter does count what reaches this subgraph

    const response = await fetch(privateRouter, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ plans { id } list: flows { edges { node { id } } } }' }),
    });
    expect(response.status).toBe(401);
    const body = (await response.json()) as { errors: { message: string; extensions: Record<string, unknown> }[] };
    expect(body.errors[0]?.message).toBe('Sign in to access: list.');
    expect(body.errors[0]?.extensions['fields']).toEqual([{ path: 'list', code: 'UNAUTHENTICATED' }]);
    expect(await flowsOperations()).toBe(before);
  });

  it('lets the same operation through once signed in', async () => {
    const user = await signUp(url);
    const result = await gql(url, '{ plans { id } list: flows { edges { node { id } } } }', {}, user.token);
    expect(result.errors).toBeUndefined();
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
