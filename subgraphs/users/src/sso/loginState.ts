import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { Request, Response } from 'express';
import { deriveKey } from '../twofactor/keys.js';

/** What a passport strategy keeps between the redirect to the provider and the callback. */
export type LoginState = Record<string, unknown>;

/** A request as passport strategies expect it after a session middleware. */
export type RequestWithLoginState = Request & { session: LoginState };

const COOKIE = 'ufe_sso';
const PATH = '/auth';
/** Long enough to sign in at the provider (maybe with its own 2FA); short enough to go stale. */
const MAX_AGE_MS = 10 * 60_000;
const AAD = Buffer.from('ufe-sso-login-state');

interface Sealed {
  exp: number;
  state: LoginState;
}

/** Runs `hook` once, right before the response's headers are written (however that happens). */
function beforeHeaders(res: ServerResponse, hook: () => void): void {
  const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => ServerResponse;
  let done = false;
  res.writeHead = ((...args: unknown[]) => {
    if (!done) {
      done = true;
      hook();
    }
    return writeHead(...args);
  }) as ServerResponse['writeHead'];
}

function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of header?.split(';') ?? []) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}

/**
 * The login state (OAuth `state`, OIDC `nonce`, PKCE verifier) in an encrypted cookie
 * instead of a server session: any instance of the users subgraph can finish a sign-in
 * another one started, and nothing is stored for abandoned attempts. It is bound to the
 * browser that started the sign-in, which is what makes `state` stop login CSRF.
 *
 * Encrypted (AES-256-GCM with a key derived from JWT_SECRET), not just signed: the PKCE
 * verifier and nonce are secrets. HttpOnly, `SameSite=Lax` (the provider's redirect back
 * is a top-level GET, which Lax lets through), `Path=/auth`, and `Secure` on https.
 */
export class LoginStateCookie {
  private readonly key: Buffer;

  constructor(
    jwtSecret: string,
    private readonly secure: boolean,
    private readonly now: () => number = Date.now,
  ) {
    this.key = deriveKey(jwtSecret, 'sso-login-state/aes-256-gcm/v1');
  }

  /**
   * Gives `req.session` the state from the cookie (empty when missing, tampered with or
   * expired), and writes it back as the response starts if a strategy changed it.
   */
  attach(req: Request, res: Response): RequestWithLoginState {
    const raw = readCookie(req.headers.cookie, COOKIE);
    const before = JSON.stringify((raw && this.open(raw)) || {});
    const session = JSON.parse(before) as LoginState;
    beforeHeaders(res, () => {
      const after = JSON.stringify(session);
      if (after === before) return;
      const options = { httpOnly: true, sameSite: 'lax', secure: this.secure, path: PATH } as const;
      if (after === '{}') res.clearCookie(COOKIE, options);
      else res.cookie(COOKIE, this.seal(session), { ...options, maxAge: MAX_AGE_MS });
    });
    return Object.assign(req, { session });
  }

  private seal(state: LoginState): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(AAD);
    const sealed: Sealed = { exp: this.now() + MAX_AGE_MS, state };
    const body = Buffer.concat([cipher.update(JSON.stringify(sealed), 'utf8'), cipher.final()]);
    return [iv, cipher.getAuthTag(), body].map((part) => part.toString('base64url')).join('.');
  }

  private open(value: string): LoginState | null {
    const [iv, tag, body, ...rest] = value.split('.');
    if (!iv || !tag || body === undefined || rest.length > 0) return null;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
      decipher.setAAD(AAD);
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      const plain = Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]);
      const sealed = JSON.parse(plain.toString('utf8')) as Sealed;
      return sealed.exp > this.now() && typeof sealed.state === 'object' ? sealed.state : null;
    } catch {
      // Tampered with, or sealed under another JWT_SECRET: as if there were none.
      return null;
    }
  }
}
