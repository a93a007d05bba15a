import DataLoader from 'dataloader';
import type { Identity } from '#internal/auth';
import type { FlowInvitations } from './flowInvitations.js';
import type { RecentCollaborators } from './recentCollaborators.js';
import type { CollaboratorModel, CollaboratorRecord, ShareLinkModel } from './sharing.model.js';

export interface SharingStores {
  collaborators: CollaboratorModel;
  shareLinks: ShareLinkModel;
  /** Invitations by email, to become a collaborator. */
  invitations: FlowInvitations;
  /** Collaborators read in the last second on this instance (see `RecentCollaborators`). */
  recentCollaborators: RecentCollaborators;
}

export interface SharingContext extends SharingStores {
  /** The caller's collaborator role by flow id (null: none), read within the last second. */
  myRole: DataLoader<string, CollaboratorRecord['role'] | null>;
  /** The collaborators of each flow, one query per request for a whole page of flows. */
  byFlow: DataLoader<string, CollaboratorRecord[]>;
  /** The ids of the flows shared with the caller personally (at most 1000). */
  sharedWithMe: () => Promise<string[]>;
}

export function createSharingContext(identity: Identity | null, stores: SharingStores): SharingContext {
  let shared: Promise<string[]> | undefined;
  return {
    ...stores,
    myRole: new DataLoader(
      async (flowIds) => {
        if (!identity) return flowIds.map(() => null);
        const roles = await stores.recentCollaborators.load(flowIds);
        return roles.map((byUser) => byUser.get(identity.userId) ?? null);
        // Not cached for the request: a subscription keeps its context and re-checks access per event.
      },
      { cache: false },
    ),
    byFlow: new DataLoader(async (flowIds) => {
      const found = await stores.collaborators
        .find({ flowId: { $in: [...flowIds] } })
        .sort({ createdAt: 1 })
        .lean();
      return flowIds.map((id) => found.filter((c) => c.flowId === id));
    }),
    sharedWithMe: () =>
      (shared ??= identity
        ? stores.collaborators
            .find({ userId: identity.userId })
            .limit(1000)
            .lean()
            .then((list) => list.map((c) => c.flowId))
        : Promise.resolve([])),
  };
}
