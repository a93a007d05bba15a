import { Schema, type Connection, type Model } from 'mongoose';
import type { WorkspaceRole } from '#internal/workspaces';

/** A workspace's SAML identity provider, set by its admins. One per workspace: `_id` is the workspace id. */
export interface WorkspaceSamlRecord {
  _id: string;
  /** The IdP's single sign-on URL (HTTP-Redirect binding), where AuthnRequests go. */
  entryPoint: string;
  /** The IdP's entity ID, the `Issuer` its assertions must carry. */
  idpIssuer: string;
  /** The IdP's signing certificate, PEM: assertions must be signed by its key. */
  idpCertificate: string;
  /** The role of people who join the workspace by signing in through the IdP. Never OWNER. */
  defaultRole: Exclude<WorkspaceRole, 'OWNER'>;
  updatedAt: Date;
  updatedBy: string;
}

/**
 * Assertions already used, by workspace and assertion ID, until they expire. Inserting is
 * how an assertion is spent (the unique `_id` lets one of concurrent posts win): a signed
 * assertion copied from a browser or a log cannot sign anyone in a second time.
 */
export interface SamlAssertionUseRecord {
  _id: string;
  usedAt: Date;
  expiresAt: Date;
}

export type WorkspaceSamlModel = Model<WorkspaceSamlRecord>;
export type SamlAssertionUseModel = Model<SamlAssertionUseRecord>;

const workspaceSamlSchema = new Schema<WorkspaceSamlRecord>(
  {
    _id: { type: String, required: true },
    entryPoint: { type: String, required: true },
    idpIssuer: { type: String, required: true },
    idpCertificate: { type: String, required: true },
    defaultRole: { type: String, required: true, enum: ['ADMIN', 'EDITOR', 'VIEWER'] },
    updatedAt: { type: Date, required: true },
    updatedBy: { type: String, required: true },
  },
  { versionKey: false },
);

const samlAssertionUseSchema = new Schema<SamlAssertionUseRecord>(
  {
    _id: { type: String, required: true },
    usedAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true, index: true },
  },
  { versionKey: false },
);

export const createWorkspaceSamlModel = (db: Connection): WorkspaceSamlModel =>
  db.model<WorkspaceSamlRecord>('WorkspaceSaml', workspaceSamlSchema, 'workspace_saml');

export const createSamlAssertionUseModel = (db: Connection): SamlAssertionUseModel =>
  db.model<SamlAssertionUseRecord>('SamlAssertionUse', samlAssertionUseSchema, 'saml_assertion_uses');
