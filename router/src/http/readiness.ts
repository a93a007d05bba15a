import type { RequestHandler } from 'express';

/**
 * `/ready`: 200 only when the supergraph is loaded and every subgraph reports ready;
 * otherwise 503 naming what is missing.
 */
export function readinessHandler(isComposed: () => boolean, urls: Record<string, string>): RequestHandler {
  return (_req, res, next) => {
    Promise.all(
      Object.entries(urls).map(async ([name, url]) => {
        try {
          const response = await fetch(url.replace(/\/graphql$/, '/ready'), { signal: AbortSignal.timeout(2_000) });
          return [name, response.ok] as const;
        } catch {
          return [name, false] as const;
        }
      }),
    )
      .then((results) => {
        const subgraphs = Object.fromEntries(results);
        const missing = results.filter(([, ok]) => !ok).map(([name]) => `subgraph ${name}`);
        if (!isComposed()) missing.unshift('supergraph');
        res.status(missing.length === 0 ? 200 : 503).json({
          status: missing.length === 0 ? 'ready' : 'not ready',
          supergraph: isComposed(),
          subgraphs,
          missing,
        });
      })
      .catch(next);
  };
}
