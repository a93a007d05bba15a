import { describe, expect, inject, it } from 'vitest';
import { errorCodes, gql, signUp } from '#internal/testkit';

const url = inject('routerUrl');
const base = url.replace(/\/graphql$/, '');

describe('router HTTP surface', () => {
  it('reports health and readiness with every subgraph', async () => {
    expect((await fetch(`${base}/health`)).status).toBe(200);
    const ready = await fetch(`${base}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({
      status: 'ready',
      supergraph: true,
      subgraphs: { users: true, flows: true, knowledge: true, cognition: true, billing: true },
      missing: [],
    });
  });

  it('serves Prometheus metrics on the router and on every subgraph', async () => {
    const urls = [base, ...Object.values(inject('subgraphUrls')).map((subgraph) => subgraph.replace(/\/graphql$/, ''))];
    for (const service of urls) {
      const response = await fetch(`${service}/metrics`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain('text/plain');
      expect(await response.text()).toContain('process_cpu_user_seconds_total');
    }
  });

  it('serves the playground and all its assets locally', async () => {
    const page = await fetch(url, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    const html = await page.text();
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1] ?? '');
    expect(assets.length).toBeGreaterThanOrEqual(5);
    for (const asset of assets) {
      expect(asset.startsWith('/'), `${asset} must be served locally`).toBe(true);
      const response = await fetch(`${base}${asset}`);
      expect(response.status, asset).toBe(200);
      expect((await response.arrayBuffer()).byteLength, asset).toBeGreaterThan(1000);
    }
    expect(html).not.toMatch(/https?:\/\/(?!127\.)/);
  });

  it('answers malformed JSON with 400 and a clear error', async () => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"query": ',
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      errors: [{ message: 'The request body is not valid JSON.', extensions: { code: 'BAD_REQUEST' } }],
    });
  });

  it('answers unparsable documents with 400 and GRAPHQL_PARSE_FAILED', async () => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ me { ' }),
    });
    expect(response.status).toBe(400);
    expect(errorCodes((await response.json()) as { errors: [] })).toEqual(['GRAPHQL_PARSE_FAILED']);
  });

  it('answers invalid operations with GRAPHQL_VALIDATION_FAILED', async () => {
    expect(errorCodes(await gql(url, '{ noSuchField }'))).toEqual(['GRAPHQL_VALIDATION_FAILED']);
  });

  it('refuses operations past the limits before planning them', async () => {
    const aliases = Array.from({ length: 40 }, (_, index) => `a${index}: me { id }`).join(' ');
    const tooManyAliases = await gql(url, `{ ${aliases} }`);
    expect(tooManyAliases.data).toBeUndefined();
    expect(tooManyAliases.errors?.[0]?.message).toMatch(/aliases/i);
    const user = await signUp(url);
    const nested = '{ flows { edges { node { nodes { position { x } } owner { id } } } } }';
    expect((await gql(url, nested, {}, user.token)).errors).toBeUndefined();
    const tooLong = await gql(url, `{ me { ${'id '.repeat(6_000)} } }`);
    expect(tooLong.errors?.[0]?.message).toMatch(/token/i);
  });

  it('serves the offline billing and AI provider slices', async () => {
    const result = await gql(
      url,
      '{ plans { id name priceCents interval } billingMode aiProviders { name configured priority } }',
    );
    expect(result.errors).toBeUndefined();
    expect(result.data?.['plans']).toContainEqual({ id: 'free', name: 'Free', priceCents: 0, interval: 'month' });
    expect(result.data?.['billingMode']).toBe('offline');
    expect(result.data?.['aiProviders']).toContainEqual({
      name: 'local',
      configured: true,
      priority: expect.any(Number),
    });
  });
});
