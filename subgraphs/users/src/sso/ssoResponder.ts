import type { Request, Response } from 'express';
import { IDENTITY_HEADER, type AssertionVerifier } from '#internal/auth';
import type { Logger } from '#internal/logger';
import { AuditEventType } from '../audit/audit.events.js';
import type { AuditLog } from '../audit/audit.service.js';
import type { LoginCodeService, LoginGrant } from './loginCode.service.js';
import { appRedirect, SsoErrorCode, SsoRefusal } from './ssoErrors.js';

export interface SsoResponderDeps {
  loginCodes: LoginCodeService;
  identities: AssertionVerifier;
  /** Where the browser goes back to. */
  appUrl: string;
  audit: Pick<AuditLog, 'record'>;
  logger?: Logger;
}

/** What a failed sign-in is recorded against. */
export interface SignInAttempt {
  provider: string;
  workspaceId: string | null;
  clientIp: string | null;
}

/** How every provider's callback ends: back to the app with a log-in code or an error code. */
export class SsoResponder {
  constructor(private readonly deps: SsoResponderDeps) {}

  /** The client's address as the router asserts it (null when the request did not come through the router). */
  async clientIp(req: Request): Promise<string | null> {
    return (await this.deps.identities.verify(req.headers[IDENTITY_HEADER]))?.clientIp ?? null;
  }

  async signedIn(res: Response, grant: LoginGrant): Promise<void> {
    const code = await this.deps.loginCodes.issue(grant);
    this.redirect(res, appRedirect(this.deps.appUrl, { code }));
  }

  /** Redirects with the refusal's code; anything else is logged and shown as `internal_error`. */
  async refused(res: Response, error: unknown, attempt: SignInAttempt): Promise<void> {
    const code = error instanceof SsoRefusal ? error.code : SsoErrorCode.INTERNAL_ERROR;
    if (error instanceof SsoRefusal)
      this.deps.logger?.info({ ...attempt, code, reason: error.message }, 'sign-in refused');
    else this.deps.logger?.error({ err: error, ...attempt }, 'sign-in failed');
    await this.deps.audit.record({
      type: AuditEventType.SSO_LOGIN_FAILED,
      actorId: null,
      workspaceId: attempt.workspaceId,
      ip: attempt.clientIp,
      details: { provider: attempt.provider, reason: code },
    });
    if (!res.headersSent) this.redirect(res, appRedirect(this.deps.appUrl, { error: code }));
  }

  private redirect(res: Response, location: string): void {
    // 303: after the ACS's POST too, the browser GETs the app. No caching, no Referer to the app.
    res.set({ 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' }).redirect(303, location);
  }
}
