import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { IDENTITY_HEADER } from '#internal/auth';

export interface RecordedCall {
  /** The GraphQL request the subgraph was sent. */
  body: { query: string; variables?: Record<string, unknown> };
  /** The identity assertion it carried. */
  identity: string | undefined;
}

/**
 * A pass-through proxy in front of a subgraph that records the GraphQL calls that reached it; `delayMs`
 * holds each call that long, so calls a test sends together are in flight together.
 */
export async function startRecordingProxy(
  target: string,
  delayMs = 0,
): Promise<{ url: string; calls: RecordedCall[]; close: () => Promise<void> }> {
  const calls: RecordedCall[] = [];
  const origin = new URL(target).origin;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString();
      const identity = req.headers[IDENTITY_HEADER];
      if (req.method === 'POST')
        calls.push({ body: JSON.parse(body) as RecordedCall['body'], identity: String(identity) });
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (typeof identity === 'string') headers[IDENTITY_HEADER] = identity;
      setTimeout(() => {
        fetch(`${origin}${req.url ?? '/'}`, {
          method: req.method ?? 'POST',
          headers,
          ...(req.method === 'POST' ? { body } : {}),
        })
          .then(async (response) => {
            res.writeHead(response.status, { 'content-type': response.headers.get('content-type') ?? 'text/plain' });
            res.end(await response.text());
          })
          .catch(() => res.writeHead(502).end());
      }, delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    calls,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
