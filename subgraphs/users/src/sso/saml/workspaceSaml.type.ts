import { Field, ID, ObjectType } from 'type-graphql';
import type { WorkspaceRole as Role } from '#internal/workspaces';
import { WorkspaceRole } from '../../workspace/workspace.type.js';

@ObjectType({
  description:
    "A workspace's SAML identity provider, and what to enter at the IdP. For the workspace's ADMIN and OWNER.",
})
export class WorkspaceSaml {
  @Field(() => ID)
  workspaceId!: string;

  @Field(() => String, {
    description: "The IdP's single sign-on URL (HTTP-Redirect binding), from its metadata: where sign-ins go.",
  })
  entryPoint!: string;

  @Field(() => Boolean, {
    description:
      'True when sign-in through this IdP is refused until its metadata is uploaded again: the configuration was ' +
      'stored before metadata was required and its single sign-on URL is not https.',
  })
  reconfigurationRequired!: boolean;

  @Field(() => String, { description: "The IdP's entity ID: assertions must carry it as Issuer." })
  idpIssuer!: string;

  @Field(() => String, { description: "The IdP's signing certificate, PEM." })
  idpCertificate!: string;

  @Field(() => String, { description: "SHA-256 fingerprint of the IdP's certificate." })
  idpCertificateFingerprint!: string;

  @Field(() => Date)
  idpCertificateExpiresAt!: Date;

  @Field(() => WorkspaceRole, { description: 'The role of people who join by signing in through the IdP.' })
  defaultRole!: Role;

  @Field(() => String, {
    description: "Our entity ID for the IdP, and the audience its assertions must name (the metadata's URL).",
  })
  spEntityId!: string;

  @Field(() => String, { description: 'The Assertion Consumer Service URL (HTTP-POST binding).' })
  acsUrl!: string;

  @Field(() => String, { description: 'Our SP metadata (XML).' })
  metadataUrl!: string;

  @Field(() => String, { description: 'Opens an SP-initiated sign-in; IdP-initiated sign-in works too.' })
  loginUrl!: string;

  @Field(() => Date)
  updatedAt!: Date;
}
