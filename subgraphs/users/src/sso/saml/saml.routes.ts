import { generateServiceProviderMetadata } from '@node-saml/node-saml';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import type { WorkspaceService } from '../../workspace/workspace.service.js';
import type { SsoAccounts } from '../ssoAccounts.js';
import { SsoErrorCode, SsoRefusal } from '../ssoErrors.js';
import type { SsoResponder } from '../ssoResponder.js';
import { samlProvider, validateSamlResponse } from './samlResponse.js';
import type { WorkspaceSamlRecord } from './workspaceSaml.model.js';
import type { WorkspaceSamlService } from './workspaceSaml.service.js';

export interface SamlRouteDeps {
  saml: WorkspaceSamlService;
  workspaces: Pick<WorkspaceService, 'exists' | 'addMember'>;
  accounts: SsoAccounts;
  responder: SsoResponder;
}

type WorkspaceRequest = Request<{ workspaceId: string }>;

/**
 * Workspace SAML, reached through the router's `/auth/*` proxy:
 * - `GET  /auth/saml/:workspaceId` sends the browser to the IdP with an AuthnRequest;
 * - `POST /auth/saml/:workspaceId/acs` takes the IdP's response (IdP- or SP-initiated) and
 *   redirects to the app with a log-in code, after adding the user to the workspace;
 * - `GET  /auth/saml/:workspaceId/metadata` is the SP metadata (its URL is the entity ID).
 */
export function samlRoutes(deps: SamlRouteDeps): (app: Express) => void {
  const { saml, responder } = deps;

  /**
   * The workspace's configuration, or SAML_NOT_CONFIGURED (also for a workspace deleted
   * since), or SAML_RECONFIGURATION_REQUIRED for one whose single sign-on URL breaks the rules.
   */
  async function configOf(workspaceId: string): Promise<WorkspaceSamlRecord> {
    const config = await saml.get(workspaceId);
    if (!config || !(await deps.workspaces.exists(workspaceId))) {
      throw new SsoRefusal(SsoErrorCode.SAML_NOT_CONFIGURED, `workspace ${workspaceId} has no SAML configuration`);
    }
    if (!saml.usable(config)) {
      throw new SsoRefusal(
        SsoErrorCode.SAML_RECONFIGURATION_REQUIRED,
        `workspace ${workspaceId}: the single sign-on URL is not https; its admins must upload the IdP metadata again`,
      );
    }
    return config;
  }

  const login = async (req: WorkspaceRequest, res: Response): Promise<void> => {
    const { workspaceId } = req.params;
    try {
      const config = await configOf(workspaceId);
      const url = await samlProvider(config, saml.urls(workspaceId)).getAuthorizeUrlAsync('', undefined, {});
      res.set('cache-control', 'no-store').redirect(302, url);
    } catch (error) {
      await responder.refused(res, error, { provider: 'saml', workspaceId, clientIp: await responder.clientIp(req) });
    }
  };

  const acs = async (req: WorkspaceRequest, res: Response): Promise<void> => {
    const { workspaceId } = req.params;
    const clientIp = await responder.clientIp(req);
    try {
      const config = await configOf(workspaceId);
      const posted = (req.body as Record<string, unknown> | undefined)?.['SAMLResponse'];
      if (typeof posted !== 'string' || posted.length === 0) {
        throw new SsoRefusal(SsoErrorCode.SAML_INVALID, 'no SAMLResponse in the form');
      }
      const signIn = await validateSamlResponse(config, saml.urls(workspaceId), posted);
      // Spent before anything changes: a replayed assertion changes nothing.
      if (!(await saml.spendAssertion(workspaceId, signIn.assertionId, signIn.expiresAt))) {
        throw new SsoRefusal(SsoErrorCode.SAML_INVALID, `assertion ${signIn.assertionId} was used before`);
      }
      const { user, outcome } = await deps.accounts.signIn(
        {
          provider: `saml:${workspaceId}`,
          subject: signIn.subject,
          email: signIn.email,
          // The workspace's own IdP vouches for its people; how far that goes is EmailTrust's `workspace`.
          emailVerified: true,
          name: signIn.name,
        },
        'workspace',
        clientIp,
      );
      await deps.workspaces.addMember(workspaceId, user.id as string, config.defaultRole);
      await responder.signedIn(res, { userId: user.id as string, provider: 'saml', workspaceId, outcome });
    } catch (error) {
      await responder.refused(res, error, { provider: 'saml', workspaceId, clientIp });
    }
  };

  const metadata = async (req: WorkspaceRequest, res: Response): Promise<void> => {
    const { workspaceId } = req.params;
    if (!(await deps.workspaces.exists(workspaceId))) {
      res.status(404).type('text/plain').send('No such workspace.\n');
      return;
    }
    const urls = saml.urls(workspaceId);
    res.type('application/samlmetadata+xml').send(
      generateServiceProviderMetadata({
        issuer: urls.entityId,
        callbackUrl: urls.acsUrl,
        wantAssertionsSigned: true,
        identifierFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
      }),
    );
  };

  const handle =
    (handler: (req: WorkspaceRequest, res: Response) => Promise<void>) =>
    (req: WorkspaceRequest, res: Response, next: NextFunction): void => {
      handler(req, res).catch(next);
    };
  return (app) => {
    app.get('/auth/saml/:workspaceId/metadata', handle(metadata));
    // SAML responses are signed XML, base64 in a form field: a few kB, rarely more than 100 kB.
    app.post('/auth/saml/:workspaceId/acs', express.urlencoded({ extended: false, limit: '1mb' }), handle(acs));
    app.get('/auth/saml/:workspaceId', handle(login));
  };
}
