// The identity the subgraphs require, for gateways that cannot sign it themselves.
import { decodeJwt } from 'jose';
import { AssertionSigner } from '#internal/auth';

/** The request header a bench gateway forwards to `subgraph` as its identity assertion. */
export const benchIdentityHeader = (subgraph: string): string => `x-bench-identity-${subgraph}`;

/**
 * Signs, for each subgraph, the assertion our router would send for the holder of
 * `accessToken`. Assertions live 30 s, so the load generator asks again before each round.
 */
export function presignedIdentities(
  secret: string,
  accessToken: string,
  subgraphs: readonly string[],
): () => Promise<Record<string, string>> {
  const signer = AssertionSigner.router(secret);
  const claims = decodeJwt(accessToken);
  const identity = {
    userId: String(claims.sub),
    ...(typeof claims['sid'] === 'string' ? { sessionId: claims['sid'] } : {}),
  };
  return async () => {
    const signed = await Promise.all(
      subgraphs.map((subgraph) => signer.sign(subgraph, { identity, clientIp: '127.0.0.1' })),
    );
    return Object.fromEntries(subgraphs.map((subgraph, index) => [benchIdentityHeader(subgraph), signed[index] ?? '']));
  };
}
