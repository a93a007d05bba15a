import type { RequestHandler } from 'express';

/** How long one look at the subgraphs answers `/ready` once it has its answer. */
const FRESH_MS = 1_000;

interface Readiness {
  status: number;
  body: Record<string, unknown>;
}

/**
 * `/ready`: 200 only when the supergraph is loaded and every subgraph reports ready;
 * otherwise 503 naming what is missing. One look at the subgraphs answers every request
 * that comes while it runs and for a second after, so `/ready` cannot be used to fan load
 * out onto every subgraph.
 */
export function readinessHandler(isComposed: () => boolean, urls: Record<string, string>): RequestHandler {
  /** The latest look; `at` is when it answered (infinite while it runs: it is always shared). */
  let last: { at: number; readiness: Promise<Readiness> } | undefined;
  const look = (): Promise<Readiness> =>
    Promise.all(
      Object.entries(urls).map(async ([name, url]) => {
        try {
          const response = await fetch(url.replace(/\/graphql$/, '/ready'), { signal: AbortSignal.timeout(2_000) });
          return [name, response.ok] as const;
        } catch {
          return [name, false] as const;
        }
      }),
    ).then((results) => {
      const subgraphs = Object.fromEntries(results);
      const missing = results.filter(([, ok]) => !ok).map(([name]) => `subgraph ${name}`);
      if (!isComposed()) missing.unshift('supergraph');
      const ready = missing.length === 0;
      return {
        status: ready ? 200 : 503,
        body: { status: ready ? 'ready' : 'not ready', supergraph: isComposed(), subgraphs, missing },
      };
    });
  return (_req, res, next) => {
    if (!last || Date.now() - last.at >= FRESH_MS) {
      const current = { at: Number.POSITIVE_INFINITY, readiness: look() };
      void current.readiness
        .finally(() => {
          current.at = Date.now();
        })
        .catch(() => undefined);
      last = current;
    }
    last.readiness
      .then(({ status, body }) => {
        res.status(status).json(body);
      })
      .catch(next);
  };
}
