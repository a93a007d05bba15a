// What the flows domain removes when an account is deleted, against the real engine in a
// throw-away database: the personal flows with everything kept of them, the shares to the
// user; not the workspace's flows, nor anyone else's. Run twice, or cut short and run again.
import type { Connection } from 'mongoose';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connectDatabase } from '#internal/db';
import { createMemoryPubSub } from '#internal/pubsub';
import { removeAccountFlows, type FlowsOfAccount } from '../src/accountDeletion/accountDeletion.handler.js';
import { FlowCollab } from '../src/collab/flowCollab.js';
import { UpdateLog } from '../src/store/updateLog.js';
import { createFlowModel } from '../src/store/flow.model.js';
import { RecentFlows } from '../src/store/recentFlows.js';
import { FlowOpKind } from '../src/domain/ops.js';
import { createFlowInvitationModel } from '../src/store/flowInvitation.model.js';
import { FlowInvitations } from '../src/store/flowInvitations.js';
import { RecentCollaborators } from '../src/store/recentCollaborators.js';
import { createCollaboratorModel, createShareLinkModel } from '../src/store/sharing.model.js';
import { FlowVersions } from '../src/collab/flowVersions.js';
import { createNamedVersionModel } from '../src/store/namedVersion.model.js';

let db: Connection;
let stores: FlowsOfAccount;
let versions: FlowVersions;
const bus = createMemoryPubSub();
const LEAVER = 'a0a0a0a0a0a0a0a0a0a0a0a0';
const OTHER = 'b0b0b0b0b0b0b0b0b0b0b0b0';
const event = { id: LEAVER, userId: LEAVER, requestedAt: new Date() };

beforeAll(async () => {
  db = await connectDatabase(
    inject('serviceEnv')['MONGODB_URI'] ?? '',
    `ufe_flows_deletion_${Date.now()}`,
    new Registry(),
  );
  const flows = createFlowModel(db);
  // Small snapshot parts: every snapshot has several.
  const log = new UpdateLog(db, 64);
  const collaborators = createCollaboratorModel(db);
  const sharing = {
    collaborators,
    shareLinks: createShareLinkModel(db),
    invitations: new FlowInvitations(createFlowInvitationModel(db)),
    recentCollaborators: new RecentCollaborators(collaborators),
  };
  const namedVersions = createNamedVersionModel(db);
  await Promise.all([flows.init(), log.init(), collaborators.init(), sharing.shareLinks.init(), namedVersions.init()]);
  const collab = new FlowCollab(log, flows, bus, pino({ level: 'silent' }), { snapshotEvery: 3 });
  stores = { flows, log, collab, recentFlows: new RecentFlows(flows), namedVersions, sharing };
  versions = new FlowVersions(log, collab, namedVersions);
});
afterAll(async () => {
  stores.collab.dispose();
  await bus.close();
  await db.dropDatabase();
  await db.close();
});

/** A flow of `ownerId` with `edits` versions, a named version, a collaborator and a link. */
async function flowWithEverything(ownerId: string, workspaceId: string | null, edits = 7): Promise<string> {
  const { flows, collab, sharing } = stores;
  const flowId = (await flows.create({ name: 'f', description: null, ownerId, workspaceId, version: 0 })).id as string;
  for (let i = 0; i < edits; i += 1) {
    const op = { kind: FlowOpKind.ADD_NODE, node: { id: `n${i}`, type: 'screen', label: `Screen number ${i}` } };
    await collab.applyOps(flowId, [op], { clientId: null, authorId: ownerId });
  }
  await versions.name(flowId, 'named', ownerId);
  await sharing.collaborators.create({
    flowId,
    userId: OTHER,
    role: 'EDITOR',
    addedBy: ownerId,
    createdAt: new Date(),
  });
  await sharing.shareLinks.create({ _id: `link-${flowId}`, flowId, createdBy: ownerId, createdAt: new Date() });
  return flowId;
}

/** Everything kept of `flowId`, by collection: each count, snapshot parts included. */
async function kept(flowId: string): Promise<Record<string, number>> {
  const raw = db.db;
  if (!raw) throw new Error('not connected');
  const counts: Record<string, number> = {
    flows: await stores.flows.countDocuments({ _id: flowId }),
    flow_snapshot_parts: await raw
      .collection<{ _id: string }>('flow_snapshot_parts')
      .countDocuments({ _id: { $regex: `^${flowId}:` } }),
  };
  for (const name of [
    'flow_updates',
    'flow_snapshots',
    'flow_named_versions',
    'flow_collaborators',
    'flow_share_links',
  ]) {
    counts[name] = await raw.collection(name).countDocuments({ flowId });
  }
  return counts;
}

const nothing = (counts: Record<string, number>): boolean => Object.values(counts).every((count) => count === 0);
const everything = (counts: Record<string, number>): boolean => Object.values(counts).every((count) => count > 0);

/** Waits for the snapshots written in the background after every third version. */
async function snapshotted(flowId: string): Promise<void> {
  for (let tries = 0; tries < 100 && !everything(await kept(flowId)); tries += 1) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  expect(await kept(flowId)).toSatisfy(everything);
}

describe('removeAccountFlows', () => {
  it("removes the personal flows with everything of theirs and the shares to the user, and nothing of anyone else's", async () => {
    const personal = await flowWithEverything(LEAVER, null);
    const trashed = await flowWithEverything(LEAVER, null);
    await stores.flows.updateOne({ _id: trashed }, { $set: { deletedAt: new Date() } });
    const workspace = await flowWithEverything(LEAVER, 'w0w0w0w0w0w0w0w0w0w0w0w0');
    const others = await flowWithEverything(OTHER, null);
    await stores.sharing.collaborators.create({
      flowId: others,
      userId: LEAVER,
      role: 'VIEWER',
      addedBy: OTHER,
      createdAt: new Date(),
    });
    for (const flowId of [personal, trashed, workspace, others]) await snapshotted(flowId);
    const before = { workspace: await kept(workspace), others: await kept(others) };

    const remove = removeAccountFlows(stores);
    await remove(event);

    expect(await kept(personal)).toSatisfy(nothing);
    expect(await kept(trashed)).toSatisfy(nothing);
    expect(await kept(workspace)).toEqual(before.workspace);
    // Only the leaver's role on it went.
    expect(await kept(others)).toEqual({
      ...before.others,
      flow_collaborators: (before.others['flow_collaborators'] ?? 0) - 1,
    });
    expect(await stores.sharing.collaborators.countDocuments({ userId: LEAVER })).toBe(0);
    // The workspace flow still loads, with its creator's id.
    expect((await stores.collab.read(workspace)).nodes).toHaveLength(7);
    expect((await stores.flows.findById(workspace))?.ownerId).toBe(LEAVER);

    // Again: nothing left to do, nothing else touched.
    await remove(event);
    expect(await kept(workspace)).toEqual(before.workspace);
  });

  it('finishes a run that was cut short (the log gone, the flow record left in the trash)', async () => {
    const flowId = await flowWithEverything(LEAVER, null);
    await snapshotted(flowId);
    await stores.flows.updateOne({ _id: flowId }, { $set: { deletedAt: new Date() } });
    await stores.log.removeFlow(flowId);

    await removeAccountFlows(stores)(event);
    expect(await kept(flowId)).toSatisfy(nothing);
  });
});
