// A flow's Yjs document stays bounded: once its history outgrows its content, it is
// rebuilt from the content as a version of its own, on the real engine, with two instances.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { type FlowCollab, type FlowCollabOptions } from '../../src/collab/flowCollab.js';
import { nodesOf } from '../../src/collab/flowDoc.js';
import type { FlowEventPayload } from '../../src/collab/flowEvent.js';
import { add, collabStore, move } from './collabStore.js';
import { FlowVersions } from '../../src/collab/flowVersions.js';
import { createNamedVersionModel } from '../../src/store/namedVersion.model.js';

const store = collabStore('ufe_flows_rebase');
const { newFlow } = store;
const meta = { clientId: 'test', authorId: 'u1' };
/** Small bounds, so a few hundred moves are enough. */
const SMALL: FlowCollabOptions = { snapshotEvery: 20, rebaseAboveBytes: 4 * 1024 };

const instance = (options: FlowCollabOptions = SMALL): { collab: FlowCollab; events: FlowEventPayload[] } => ({
  collab: store.instance(options),
  events: [],
});

/** Moves every node `rounds` times, one version a round; waits for the rebases that fall due. */
async function churn(collab: FlowCollab, flowId: string, nodes: string[], rounds: number): Promise<void> {
  for (let round = 0; round < rounds; round += 1) {
    await collab.applyOps(
      flowId,
      nodes.map((id, i) => move(id, round * 10 + i)),
      meta,
    );
  }
  await new Promise((resolve) => setTimeout(resolve, 200));
}

const stateBytes = async (collab: FlowCollab, flowId: string): Promise<number> =>
  (await collab.sync(flowId, null)).update.byteLength;

describe('a flow document that outgrows its content', () => {
  it('is rebuilt from its content: the state stays bounded, the content and every version are kept', async () => {
    const { collab } = instance();
    const flowId = await newFlow();
    const nodes = Array.from({ length: 10 }, (_, i) => `n${i}`);
    await collab.applyOps(flowId, nodes.map(add), meta);
    const unbounded = instance({ snapshotEvery: 20, rebaseAboveBytes: Number.MAX_SAFE_INTEGER }).collab;
    const control = await newFlow();
    await unbounded.applyOps(control, nodes.map(add), meta);

    await churn(collab, flowId, nodes, 400);
    await churn(unbounded, control, nodes, 400);

    const [bounded, grown] = [await stateBytes(collab, flowId), await stateBytes(unbounded, control)];
    expect(bounded).toBeLessThan(8 * 1024);
    expect(grown).toBeGreaterThan(4 * bounded);
    // The same content either way.
    const [mine, theirs] = [await collab.read(flowId), await unbounded.read(control)];
    expect(mine.nodes.map((n) => [n.id, n.x, n.y])).toEqual(theirs.nodes.map((n) => [n.id, n.x, n.y]));
    // Rebases are versions of their own, logged with the whole new document.
    const rebases = (await store.log().after(flowId, 0, 10_000)).filter((entry) => entry.rebase);
    expect(rebases.length).toBeGreaterThan(0);
    expect(mine.version).toBe(1 + 400 + rebases.length);
    // Every kept version before and after a rebase can still be rebuilt.
    const versions = new FlowVersions(store.log(), collab, createNamedVersionModel(store.db()));
    const rebase = rebases[0]?.version ?? 0;
    for (const version of [rebase - 1, rebase, rebase + 1]) {
      const at = await versions.contentAt(flowId, version);
      expect(at.nodes).toHaveLength(10);
    }
    expect((await versions.contentAt(flowId, rebase)).nodes).toEqual(
      (await versions.contentAt(flowId, rebase - 1)).nodes,
    );
  });

  it('tells copies from before a rebase to start over, and takes new edits on new copies', async () => {
    const { collab } = instance();
    const flowId = await newFlow();
    const nodes = Array.from({ length: 10 }, (_, i) => `n${i}`);
    await collab.applyOps(flowId, nodes.map(add), meta);
    // A client's copy, from before.
    const client = new Y.Doc();
    Y.applyUpdate(client, (await collab.sync(flowId, null)).update);
    await churn(collab, flowId, nodes, 300);

    const stale = await collab.sync(flowId, Y.encodeStateVector(client));
    expect(stale.resync).toBe(true);
    // An edit made on the old copy cannot be merged: RESYNC, nothing changes.
    const before = await collab.read(flowId);
    const edit = new Y.Doc();
    Y.applyUpdate(edit, Y.encodeStateAsUpdate(client));
    const sv = Y.encodeStateVector(edit);
    nodesOf(edit).get('n1')?.set('label', 'edited offline');
    await expect(collab.pushUpdate(flowId, Y.encodeStateAsUpdate(edit, sv), meta)).rejects.toMatchObject({
      extensions: { code: 'CONFLICT', reason: 'RESYNC' },
    });
    expect((await collab.read(flowId)).version).toBe(before.version);

    // A new copy from the whole new document syncs normally and its edits merge.
    const fresh = new Y.Doc();
    Y.applyUpdate(fresh, stale.update);
    expect((await collab.sync(flowId, Y.encodeStateVector(fresh))).resync).toBe(false);
    const freshSv = Y.encodeStateVector(fresh);
    nodesOf(fresh).get('n1')?.set('label', 'edited on the new copy');
    const merged = await collab.pushUpdate(flowId, Y.encodeStateAsUpdate(fresh, freshSv), meta);
    expect(merged.content.nodes.find((n) => n.id === 'n1')?.label).toBe('edited on the new copy');
  });

  it('is followed by another instance, and reloaded after a restart, without losing a write', async () => {
    const a = instance();
    const b = instance();
    const flowId = await newFlow();
    const nodes = Array.from({ length: 10 }, (_, i) => `n${i}`);
    await a.collab.applyOps(flowId, nodes.map(add), meta);
    await b.collab.read(flowId);
    // Each writes in turn, so each catches up over the other's rebases.
    await churn(a.collab, flowId, nodes, 60);
    await churn(b.collab, flowId, nodes, 60);
    await churn(a.collab, flowId, nodes, 60);
    const [ca, cb] = [await a.collab.read(flowId), await b.collab.read(flowId)];
    expect(cb).toEqual(ca);
    const restarted = instance().collab;
    expect(await restarted.read(flowId)).toEqual(ca);
    expect((await store.log().after(flowId, 0, 10_000)).filter((entry) => entry.rebase).length).toBeGreaterThan(1);
  }, 60_000);
});
