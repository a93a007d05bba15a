// `/ready` in front of real HTTP stand-ins for the subgraphs: how often they are asked.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readinessHandler } from '../src/http/readiness.js';

let asked = 0;
let subgraph: Server;
let router: Server;
let readyUrl: string;

const listen = async (server: Server): Promise<string> => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
};

beforeAll(async () => {
  // A subgraph that takes its time: the whole burst arrives while the router's look runs.
  subgraph = createServer((_req, res) => {
    asked += 1;
    setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ready"}'), 300);
  });
  const base = await listen(subgraph);
  const app = express();
  app.get(
    '/ready',
    readinessHandler(() => true, { users: `${base}/graphql`, flows: `${base}/graphql` }),
  );
  router = createServer(app);
  readyUrl = `${await listen(router)}/ready`;
});
afterAll(async () => {
  await Promise.all([subgraph, router].map((server) => new Promise((resolve) => server.close(resolve))));
});

describe('/ready', () => {
  it('asks each subgraph once for a burst of requests, and again a second later', async () => {
    const responses = await Promise.all(Array.from({ length: 50 }, () => fetch(readyUrl)));
    expect(responses.map((response) => response.status)).toEqual(Array(50).fill(200));
    expect(asked).toBe(2);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect((await fetch(readyUrl)).status).toBe(200);
    expect(asked).toBe(4);
  });
});
