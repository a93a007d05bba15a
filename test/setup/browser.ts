// A little browser for sign-in flows: fetch with a cookie jar, following redirects by hand
// so a test can stop at (or tamper with) any hop.

/** Where a redirect chain ended: the app URL it was sent to, or a response that is not a redirect. */
export interface Landing {
  url: URL;
  /** The hops taken, first to last (the landing URL included). */
  hops: URL[];
  response?: Response;
}

export class TestBrowser {
  /** Cookies by host: browsers do not keep them apart by port, and names here never clash. */
  private readonly jar = new Map<string, Map<string, string>>();

  /** One request, no redirects followed; cookies sent and stored. */
  async fetch(url: string | URL, init: RequestInit = {}): Promise<Response> {
    const target = new URL(url);
    const cookies = [...(this.jar.get(target.hostname) ?? new Map<string, string>())];
    const headers = new Headers(init.headers);
    if (cookies.length > 0) headers.set('cookie', cookies.map(([name, value]) => `${name}=${value}`).join('; '));
    const response = await fetch(target, { ...init, headers, redirect: 'manual' });
    for (const line of response.headers.getSetCookie()) this.store(target.hostname, line);
    return response;
  }

  /**
   * Follows redirects from `url` until one points where `stop` says (not fetched: the app
   * is no server here), or a response is not a redirect. `rewrite` may change a hop first.
   */
  async follow(
    url: string | URL,
    stop: (url: URL) => boolean,
    init: RequestInit = {},
    rewrite: (url: URL) => URL = (next) => next,
  ): Promise<Landing> {
    const hops: URL[] = [];
    let next = new URL(url);
    let request = init;
    for (let count = 0; count < 20; count += 1) {
      const response = await this.fetch(next, request);
      const location = response.headers.get('location');
      if (response.status < 300 || response.status >= 400 || !location) return { url: next, hops, response };
      await response.body?.cancel();
      next = rewrite(new URL(location, next));
      hops.push(next);
      request = {};
      if (stop(next)) return { url: next, hops };
    }
    throw new Error(`too many redirects from ${String(url)}`);
  }

  cookie(host: string, name: string): string | undefined {
    return this.jar.get(host)?.get(name);
  }

  private store(host: string, line: string): void {
    const [pair = '', ...attributes] = line.split(';');
    const index = pair.indexOf('=');
    const name = pair.slice(0, index).trim();
    const value = pair.slice(index + 1).trim();
    const cookies = this.jar.get(host) ?? new Map<string, string>();
    this.jar.set(host, cookies);
    const expired = attributes.some((attribute) => {
      const [key = '', val = ''] = attribute.trim().split('=');
      if (key.toLowerCase() === 'max-age') return Number(val) <= 0;
      if (key.toLowerCase() === 'expires') return Date.parse(val) <= Date.now();
      return false;
    });
    if (expired) cookies.delete(name);
    else cookies.set(name, value);
  }
}

/** The `login_code` or `login_error` in the fragment of the URL a sign-in ended at. */
export function loginResult(url: URL): { code?: string; error?: string } {
  const fragment = new URLSearchParams(url.hash.slice(1));
  const code = fragment.get('login_code');
  const error = fragment.get('login_error');
  return { ...(code ? { code } : {}), ...(error ? { error } : {}) };
}
