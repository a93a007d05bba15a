import type { AccountDeletionHandler } from '#internal/events';
import type { FlowCollab } from '../collab/flowCollab.js';
import type { UpdateLog } from '../store/updateLog.js';
import type { FlowModel } from '../store/flow.model.js';
import type { RecentFlows } from '../store/recentFlows.js';
import type { SharingStores } from '../store/sharing.context.js';
import type { NamedVersionModel } from '../store/namedVersion.model.js';

export interface FlowsOfAccount {
  flows: FlowModel;
  log: UpdateLog;
  collab: FlowCollab;
  recentFlows: RecentFlows;
  namedVersions: NamedVersionModel;
  sharing: SharingStores;
}

/**
 * What the flows domain does when an account is deleted:
 * - the user's personal flows (no workspace; in the trash or not) go with everything kept
 *   of them: update log, snapshots and their parts, named versions, collaborators, links, open invitations;
 * - what others shared with the user personally goes (their collaborator roles);
 * - workspace flows stay with the workspace, and every other mention of the user (a
 *   workspace flow's creator, authors in its history, who shared or linked it) stays as an
 *   id, which the users domain resolves to a "Deleted user".
 * Idempotent: each step finds what is left of the one before.
 */
export function removeAccountFlows(stores: FlowsOfAccount): AccountDeletionHandler {
  return async ({ userId }) => {
    const { collaborators, recentCollaborators } = stores.sharing;
    const sharedWith = await collaborators.find({ userId }, { flowId: 1 }).lean();
    await collaborators.deleteMany({ userId });
    for (const { flowId } of sharedWith) recentCollaborators.forget(flowId);

    const personal = await stores.flows.find({ ownerId: userId, workspaceId: null }, { _id: 1 }).lean();
    for (const { _id } of personal) await removeFlow(stores, String(_id));
  };
}

async function removeFlow(stores: FlowsOfAccount, flowId: string): Promise<void> {
  const { sharing } = stores;
  await stores.collab.exclusive(flowId, async () => {
    // In the trash first, so that nobody reads or writes it while its parts go; the record
    // itself goes last, so that a run cut short finds the flow again and finishes.
    await stores.flows.updateOne({ _id: flowId, deletedAt: null }, { $set: { deletedAt: new Date() } });
    stores.recentFlows.forget(flowId);
    await stores.log.removeFlow(flowId);
    await stores.namedVersions.deleteMany({ flowId });
    await sharing.collaborators.deleteMany({ flowId });
    await sharing.shareLinks.deleteMany({ flowId });
    await sharing.invitations.removeFlow(flowId);
    await stores.flows.deleteOne({ _id: flowId });
    stores.collab.forget(flowId);
  });
  stores.recentFlows.forget(flowId);
  sharing.recentCollaborators.forget(flowId);
}
