// The encrypted login-state cookie that stands in for a server session during sign-in.
import type { Request, Response } from 'express';
import { describe, expect, it } from 'vitest';
import { LoginStateCookie } from '../src/sso/loginState.js';

/** Just enough of Express for `attach`: headers in, `Set-Cookie` out when headers are written. */
function exchange(cookie: LoginStateCookie, cookieHeader?: string) {
  const setCookies: string[] = [];
  const res = {
    writeHead: () => res,
    cookie: (name: string, value: string, options: Record<string, unknown>) => {
      setCookies.push(`${name}=${value}; ${JSON.stringify(options)}`);
    },
    clearCookie: (name: string) => {
      setCookies.push(`${name}=; cleared`);
    },
  };
  const req = { headers: cookieHeader ? { cookie: cookieHeader } : {} };
  const attached = cookie.attach(req as unknown as Request, res as unknown as Response);
  return {
    session: attached.session,
    end: () => {
      (res.writeHead as () => unknown)();
      return setCookies;
    },
  };
}

const valueOf = (line: string | undefined): string => /^ufe_sso=([^;]*)/.exec(line ?? '')?.[1] ?? '';

describe('LoginStateCookie', () => {
  it('round-trips what a strategy stores, sealed, and clears it once used', () => {
    const cookie = new LoginStateCookie('secret', false);
    const start = exchange(cookie);
    start.session['oidc:oidc'] = { state: 's', code_verifier: 'v' };
    const [line] = start.end();
    expect(line).toMatch(/"httpOnly":true/);
    expect(line).toMatch(/"sameSite":"lax"/);
    expect(line).toMatch(/"path":"\/auth"/);
    expect(valueOf(line)).not.toContain('code_verifier');

    const back = exchange(cookie, `other=1; ufe_sso=${valueOf(line)}`);
    expect(back.session).toEqual({ 'oidc:oidc': { state: 's', code_verifier: 'v' } });
    delete back.session['oidc:oidc'];
    expect(back.end()).toEqual(['ufe_sso=; cleared']);
  });

  it('writes nothing when nothing changed', () => {
    expect(exchange(new LoginStateCookie('secret', false)).end()).toEqual([]);
  });

  it('ignores a cookie that was tampered with, sealed with another secret, or has expired', () => {
    let now = Date.now();
    const cookie = new LoginStateCookie('secret', true, () => now);
    const start = exchange(cookie);
    start.session['k'] = 'v';
    const sealed = valueOf(start.end()[0]);
    // The second-to-last character always carries six bits of ciphertext, unlike the last.
    const flipped = `${sealed.slice(0, -2)}${sealed.at(-2) === 'A' ? 'B' : 'A'}${sealed.slice(-1)}`;
    expect(exchange(cookie, `ufe_sso=${flipped}`).session).toEqual({});
    expect(exchange(new LoginStateCookie('another', true), `ufe_sso=${sealed}`).session).toEqual({});
    expect(exchange(cookie, `ufe_sso=${sealed}`).session).toEqual({ k: 'v' });
    now += 11 * 60_000;
    expect(exchange(cookie, `ufe_sso=${sealed}`).session).toEqual({});
  });
});
