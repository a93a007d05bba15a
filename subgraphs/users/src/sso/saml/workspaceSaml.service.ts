import { createHash } from 'node:crypto';
import { isDuplicateKey } from '#internal/db';
import { badUserInput, forbidden } from '#internal/errors';
import { canManage, type WorkspaceRole } from '#internal/workspaces';
import { isAllowedEntryPoint, parseIdpMetadata } from './idpMetadata.js';
import type { SamlAssertionUseModel, WorkspaceSamlModel, WorkspaceSamlRecord } from './workspaceSaml.model.js';

/** Where the IdP and the browser reach this service provider for one workspace, all through the router. */
export interface SpUrls {
  /** The SP entity ID, also the audience assertions must name: the metadata URL, by convention. */
  entityId: string;
  /** The Assertion Consumer Service (HTTP-POST binding). */
  acsUrl: string;
  /** Starts an SP-initiated sign-in. */
  loginUrl: string;
  metadataUrl: string;
}

export interface WorkspaceSamlSettings {
  /** The IdP's SAML metadata (XML): its entity ID, signing certificate and single sign-on URL. */
  idpMetadata: string;
  defaultRole: WorkspaceRole;
}

export interface WorkspaceSamlStores {
  configs: WorkspaceSamlModel;
  assertionUses: SamlAssertionUseModel;
}

/** Per-workspace SAML configuration, and the record of assertions already used. */
export class WorkspaceSamlService {
  constructor(
    private readonly stores: WorkspaceSamlStores,
    private readonly publicUrl: string,
    /** `SAML_ALLOW_INSECURE_IDP`: http single sign-on URLs, for development against a local IdP. */
    private readonly allowInsecure = false,
    private readonly now: () => number = Date.now,
  ) {}

  urls(workspaceId: string): SpUrls {
    const base = `${this.publicUrl}/auth/saml/${encodeURIComponent(workspaceId)}`;
    return { entityId: `${base}/metadata`, acsUrl: `${base}/acs`, loginUrl: base, metadataUrl: `${base}/metadata` };
  }

  async get(workspaceId: string): Promise<WorkspaceSamlRecord | null> {
    return this.stores.configs.findById(workspaceId).lean();
  }

  /**
   * Sets (or replaces) the workspace's IdP from its metadata. `actorRole` is the caller's
   * role there: the default role must be below it, as for invitations (only the owner may
   * let people in as ADMIN), and is never OWNER.
   */
  async configure(
    workspaceId: string,
    settings: WorkspaceSamlSettings,
    actor: { id: string; role: WorkspaceRole },
  ): Promise<WorkspaceSamlRecord> {
    const { defaultRole } = settings;
    if (defaultRole === 'OWNER') throw badUserInput('New members can never be OWNER.', 'defaultRole');
    if (!canManage(actor.role, defaultRole)) {
      throw forbidden(`Only the owner can let people join as ${defaultRole}.`);
    }
    const idp = parseIdpMetadata(settings.idpMetadata, { allowInsecure: this.allowInsecure, now: this.now() });
    const record: WorkspaceSamlRecord = {
      _id: workspaceId,
      entryPoint: idp.entryPoint,
      idpIssuer: idp.entityId,
      idpCertificate: idp.certificate,
      defaultRole,
      updatedAt: new Date(this.now()),
      updatedBy: actor.id,
    };
    await this.stores.configs.replaceOne({ _id: workspaceId }, record, { upsert: true });
    return record;
  }

  /**
   * Whether sign-in may use the configuration: its single sign-on URL must satisfy the
   * rule uploads are held to (one stored before, with a free http URL, must be uploaded again).
   */
  usable(record: WorkspaceSamlRecord): boolean {
    return isAllowedEntryPoint(record.entryPoint, this.allowInsecure);
  }

  /** Turns SAML off for the workspace; false when it was not on. */
  async disable(workspaceId: string): Promise<boolean> {
    const { deletedCount } = await this.stores.configs.deleteOne({ _id: workspaceId });
    return deletedCount > 0;
  }

  /** Spends an assertion: true the first time, false when it was used before. */
  async spendAssertion(workspaceId: string, assertionId: string, expiresAt: Date): Promise<boolean> {
    const now = new Date(this.now());
    // Expired records only take space: the assertions they stand for are refused as expired.
    await this.stores.assertionUses.deleteMany({ expiresAt: { $lte: now } });
    const id = createHash('sha256').update(`${workspaceId}\0${assertionId}`).digest('hex');
    try {
      await this.stores.assertionUses.create({ _id: id, usedAt: now, expiresAt });
      return true;
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  }
}
