// IdP metadata as IdPs publish it, in the shapes this service must read (prefixed or not,
// wrapped in an EntitiesDescriptor, keys without `use`, certificates broken over lines).
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestIdp, type TestIdp } from '../../../test/setup/samlIdp.js';
import { isAllowedEntryPoint, parseIdpMetadata } from '../src/sso/saml/idpMetadata.js';

let idp: TestIdp;
beforeAll(async () => {
  idp = await createTestIdp('https://idp.example.com/metadata');
});

const strict = { allowInsecure: false, now: Date.now() };
const base64 = (): string => idp.certificate.replace(/-----[A-Z ]+-----|\s/g, '');

describe('parseIdpMetadata', () => {
  it('reads unprefixed metadata inside an EntitiesDescriptor, with a key for any use', () => {
    const lines = base64().replace(/(.{64})/g, '$1\n      ');
    const xml = `<EntitiesDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata">
      <EntityDescriptor entityID="https://sp.example.com/other"><SPSSODescriptor/></EntityDescriptor>
      <EntityDescriptor entityID="${idp.entityId}">
        <IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
          <KeyDescriptor use="encryption"><KeyInfo xmlns="http://www.w3.org/2000/09/xmldsig#"><X509Data>
            <X509Certificate>bm90IHRoaXMgb25l</X509Certificate></X509Data></KeyInfo></KeyDescriptor>
          <KeyDescriptor><KeyInfo xmlns="http://www.w3.org/2000/09/xmldsig#"><X509Data>
            <X509Certificate>
      ${lines}
            </X509Certificate></X509Data></KeyInfo></KeyDescriptor>
          <SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
            Location="https://idp.example.com/sso?tenant=a&amp;x=1"/>
        </IDPSSODescriptor>
      </EntityDescriptor>
    </EntitiesDescriptor>`;
    const parsed = parseIdpMetadata(xml, strict);
    expect(parsed).toMatchObject({ entityId: idp.entityId, entryPoint: 'https://idp.example.com/sso?tenant=a&x=1' });
    expect(parsed.certificate.replace(/-----[A-Z ]+-----|\s/g, '')).toBe(base64());
  });

  it('refuses http unless allowed, and anything but http(s)', () => {
    expect(() => parseIdpMetadata(idp.metadata('http://idp.example.com/sso'), strict)).toThrow(/not an https URL/);
    expect(
      parseIdpMetadata(idp.metadata('http://127.0.0.1:9/sso'), { ...strict, allowInsecure: true }).entryPoint,
    ).toBe('http://127.0.0.1:9/sso');
    expect(isAllowedEntryPoint('javascript:alert(1)', true)).toBe(false);
    expect(isAllowedEntryPoint('not a url', true)).toBe(false);
    expect(isAllowedEntryPoint('https://idp.example.com/sso', false)).toBe(true);
  });

  it('refuses a certificate that expired', () => {
    const later = { ...strict, now: Date.now() + 10 * 365 * 24 * 3600_000 };
    expect(() => parseIdpMetadata(idp.metadata('https://idp.example.com/sso'), later)).toThrow(/expired/);
  });
});
