// The router's HTTP client for subgraphs, against a real local server: what the gateway
// reads of a response (status, headers, body) must be what the server sent.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { subgraphFetcher } from '../src/http/subgraphFetcher.js';

let server: Server;
let url: string;
const seen: { method?: string; headers: Record<string, unknown>; body: string }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      seen.push({ method: req.method, headers: req.headers, body });
      if (req.url === '/fails') {
        res.writeHead(502, { 'content-type': 'text/plain' }).end('upstream gone');
        return;
      }
      res.setHeader('set-cookie', ['a=1', 'b=2']);
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'max-age=5' });
      res.end(JSON.stringify({ data: { echo: body } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('subgraphFetcher', () => {
  it('sends the method, headers and body, and gives back status, headers and JSON', async () => {
    const response = await subgraphFetcher(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-assertion': 'signed' },
      body: '{"query":"{ a }"}',
    });
    expect(seen.at(-1)).toMatchObject({
      method: 'POST',
      headers: { 'x-assertion': 'signed' },
      body: '{"query":"{ a }"}',
    });
    expect(response).toMatchObject({ ok: true, status: 200, statusText: 'OK', url: `${url}/graphql` });
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.headers.get('cache-control')).toBe('max-age=5');
    expect(response.headers.get('set-cookie')).toBe('a=1, b=2');
    expect(await response.json()).toEqual({ data: { echo: '{"query":"{ a }"}' } });
    // The gateway may read the body again (errors): it is kept.
    expect(await response.clone().text()).toBe('{"data":{"echo":"{\\"query\\":\\"{ a }\\"}"}}');
  });

  it('answers a failing subgraph with its status and body, not an exception', async () => {
    const response = await subgraphFetcher(`${url}/fails`, { method: 'POST', body: '{}' });
    expect(response).toMatchObject({ ok: false, status: 502, statusText: 'Bad Gateway' });
    expect(await response.text()).toBe('upstream gone');
  });

  it('rejects when nothing listens', async () => {
    await expect(subgraphFetcher('http://127.0.0.1:1/graphql', { method: 'POST', body: '{}' })).rejects.toThrow();
  });
});
