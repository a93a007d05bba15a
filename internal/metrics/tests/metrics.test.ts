import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { describe, expect, it } from 'vitest';
import { freePort } from '../../../stack/net.js';
import { EnvReader, readMetricsAccess } from '#internal/config';
import { createMetrics, mountMetrics, type MetricsAccess } from '#internal/metrics';

/** An app with `/metrics` mounted as `access` says; its base URL and how to stop it. */
async function serve(access: MetricsAccess) {
  const app = express();
  const close = await mountMetrics(app, createMetrics('test'), access, '127.0.0.1');
  const server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    stop: async () => {
      await close();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

describe('metrics access', () => {
  it('is open outside production, and off in production without a token or a port', () => {
    expect(readMetricsAccess(new EnvReader({}), false)).toMatchObject({ enabled: true });
    expect(readMetricsAccess(new EnvReader({}), true)).toMatchObject({ enabled: false });
    expect(readMetricsAccess(new EnvReader({ METRICS_TOKEN: 'a long enough token' }), true)).toMatchObject({
      enabled: true,
    });
    const short = new EnvReader({ METRICS_TOKEN: 'short' });
    readMetricsAccess(short, true);
    expect(() => short.done('x')).toThrow(/METRICS_TOKEN is shorter/);
  });

  it('asks for the bearer token when one is set', async () => {
    const { base, stop } = await serve({ token: 'a long enough token', port: undefined, enabled: true });
    try {
      expect((await fetch(`${base}/metrics`)).status).toBe(401);
      expect((await fetch(`${base}/metrics`, { headers: { authorization: 'Bearer wrong one' } })).status).toBe(401);
      const ok = await fetch(`${base}/metrics`, { headers: { authorization: 'Bearer a long enough token' } });
      expect(ok.status).toBe(200);
      expect(await ok.text()).toContain('process_cpu');
    } finally {
      await stop();
    }
  });

  it('serves on its own port only when one is set, and not at all when off', async () => {
    const port = await freePort();
    const separate = await serve({ token: undefined, port, enabled: true });
    const off = await serve({ token: undefined, port: undefined, enabled: false });
    try {
      expect((await fetch(`${separate.base}/metrics`)).status).toBe(404);
      expect((await fetch(`http://127.0.0.1:${port}/metrics`)).status).toBe(200);
      expect((await fetch(`${off.base}/metrics`)).status).toBe(404);
    } finally {
      await separate.stop();
      await off.stop();
    }
  });
});
