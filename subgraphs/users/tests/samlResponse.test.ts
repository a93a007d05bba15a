// SAML response validation without a server: each kind of bad assertion is refused for
// its own reason (the end-to-end test only sees `saml_invalid`).
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestIdp, type AssertionOptions, type TestIdp } from '../../../test/setup/samlIdp.js';
import { validateSamlResponse } from '../src/sso/saml/samlResponse.js';
import type { WorkspaceSamlRecord } from '../src/sso/saml/workspaceSaml.model.js';
import { WorkspaceSamlService } from '../src/sso/saml/workspaceSaml.service.js';
import { SsoRefusal } from '../src/sso/ssoErrors.js';

const urls = new WorkspaceSamlService({} as never, 'https://app.example.com').urls('w1');
let idp: TestIdp;
let other: TestIdp;
let config: WorkspaceSamlRecord;

beforeAll(async () => {
  [idp, other] = await Promise.all([
    createTestIdp('https://idp.example.com/metadata'),
    createTestIdp('https://other.example.com/metadata'),
  ]);
  config = {
    _id: 'w1',
    entryPoint: 'https://idp.example.com/sso',
    idpIssuer: idp.entityId,
    idpCertificate: idp.certificate,
    defaultRole: 'VIEWER',
    updatedAt: new Date(),
    updatedBy: 'u1',
  };
});

const response = (options: Partial<AssertionOptions> = {}): string =>
  idp.response({ audience: urls.entityId, recipient: urls.acsUrl, nameId: 'sam@corp.example', ...options });

async function reason(samlResponse: string): Promise<string> {
  try {
    await validateSamlResponse(config, urls, samlResponse);
  } catch (error) {
    expect(error).toBeInstanceOf(SsoRefusal);
    expect((error as SsoRefusal).code).toBe('saml_invalid');
    return (error as Error).message;
  }
  throw new Error('accepted');
}

describe('validateSamlResponse', () => {
  it('accepts an assertion signed by the configured IdP, for this SP, in its window', async () => {
    const signIn = await validateSamlResponse(config, urls, response({ email: 'Sam@Corp.example', name: 'Sam' }));
    expect(signIn).toMatchObject({ subject: 'sam@corp.example', email: 'Sam@Corp.example', name: 'Sam' });
    expect(signIn.assertionId).toMatch(/^_a/);
    expect(signIn.expiresAt.getTime()).toBeGreaterThan(Date.now());
  });

  it('takes the email from the NameID when there is no email attribute', async () => {
    expect((await validateSamlResponse(config, urls, response())).email).toBe('sam@corp.example');
  });

  it('refuses each defect for its own reason', async () => {
    const past = new Date(Date.now() - 5 * 60_000);
    expect(await reason(response({ sign: 'none' }))).toMatch(/signature/i);
    expect(await reason(response({ sign: 'response' }))).toMatch(/signature/i);
    expect(await reason(response({ signWith: other }))).toMatch(/signature/i);
    expect(await reason(response({ notOnOrAfter: past }))).toMatch(/expired/i);
    expect(await reason(response({ confirmationNotOnOrAfter: past }))).toMatch(/SubjectConfirmation/);
    expect(await reason(response({ recipient: 'https://elsewhere.example.com/acs' }))).toMatch(/SubjectConfirmation/);
    expect(await reason(response({ audience: 'https://elsewhere.example.com/sp' }))).toMatch(/audience/i);
    expect(await reason(response({ issuer: 'https://evil.example.com/metadata' }))).toMatch(/issuer/i);
    expect(await reason('not base64 xml')).toBeTruthy();
  });

  it('tolerates 30 seconds of clock skew, not more', async () => {
    expect(
      await validateSamlResponse(config, urls, response({ notOnOrAfter: new Date(Date.now() - 10_000) })),
    ).toBeTruthy();
    expect(await reason(response({ notOnOrAfter: new Date(Date.now() - 60_000) }))).toMatch(/expired/i);
  });
});
