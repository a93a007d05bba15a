import { Schema, type Connection, type Model } from 'mongoose';

/** An account at a sign-in provider, linked to one of our users. */
export interface SsoIdentityRecord {
  /** `oidc`, `google`, `github`, or `saml:<workspaceId>`. */
  provider: string;
  /** The provider's stable id of the account: OIDC `sub`, GitHub's numeric id, SAML NameID. */
  subject: string;
  userId: string;
  /** The email the provider asserted when the link was made. */
  email: string;
  /**
   * Whether whoever controls the account's email made this link: a global provider
   * vouching for the email of a new or verified account did; a workspace IdP creating an
   * account nobody verified did not. Absent on links stored before it was recorded (see
   * SsoLinks.notMadeByOwner).
   */
  madeByOwner?: boolean;
  createdAt: Date;
}

export type SsoIdentityModel = Model<SsoIdentityRecord>;

const ssoIdentitySchema = new Schema<SsoIdentityRecord>(
  {
    provider: { type: String, required: true },
    subject: { type: String, required: true },
    userId: { type: String, required: true, index: true },
    email: { type: String, required: true },
    // No default: a stored link without it must stay distinguishable.
    madeByOwner: { type: Boolean },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false },
);
// One user per provider account, even when two first sign-ins race.
ssoIdentitySchema.index({ provider: 1, subject: 1 }, { unique: true });

export const createSsoIdentityModel = (db: Connection): SsoIdentityModel =>
  db.model<SsoIdentityRecord>('SsoIdentity', ssoIdentitySchema, 'sso_identities');
