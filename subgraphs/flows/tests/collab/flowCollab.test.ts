// The flow document's durability and cross-instance ordering, against the real engine in a
// throw-away database: two FlowCollab instances (two flows processes) sharing the store.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { edgesOf, nodesOf, readNode } from '../../src/collab/flowDoc.js';
import type { FlowEventPayload } from '../../src/collab/flowEvent.js';
import { FlowOpKind, type FlowOp } from '../../src/domain/ops.js';
import { add, collabStore, move } from './collabStore.js';

const store = collabStore('ufe_flows_collab');
const { instance, newFlow } = store;
const meta = { clientId: 'test', authorId: 'u1' };

const ids = (content: { nodes: readonly { id: string }[] }): string[] => content.nodes.map((n) => n.id).sort();

describe('FlowCollab over the real store', () => {
  it('keeps two instances linearizable: dense versions, the same content on both, later move wins', async () => {
    const flowId = await newFlow();
    const [a, b] = [instance(), instance()];
    await a.applyOps(flowId, [add('n')], meta);
    const writes = Array.from({ length: 40 }, (_, i) =>
      (i % 2 === 0 ? a : b).applyOps(flowId, [add(`n${i}`), move('n', i)], meta),
    );
    const versions = (await Promise.all(writes)).map((result) => result.version);
    expect([...versions].sort((x, y) => x - y)).toEqual(Array.from({ length: 40 }, (_, i) => i + 2));
    const [fromA, fromB] = [await a.read(flowId), await b.read(flowId)];
    expect(fromA).toEqual(fromB);
    expect(fromA.version).toBe(41);
    expect(fromA.nodes).toHaveLength(41);
    // The move acknowledged with the highest version is the one that stays.
    const last = versions.indexOf(41);
    expect(fromA.nodes.find((n) => n.id === 'n')).toMatchObject({ x: last, y: last });
  });

  it('loses nothing acknowledged across a restart, and syncs a fresh client to the same content', async () => {
    const flowId = await newFlow();
    const before = instance({ snapshotEvery: 5 });
    for (let i = 0; i < 12; i += 1) await before.applyOps(flowId, [add(`n${i}`)], meta);
    before.dispose();
    await new Promise((resolve) => setTimeout(resolve, 200)); // the snapshot is written in the background
    const after = instance({ snapshotEvery: 5 });
    const content = await after.read(flowId);
    expect(content.version).toBe(12);
    expect(ids(content)).toEqual(Array.from({ length: 12 }, (_, i) => `n${i}`).sort());

    const client = new Y.Doc();
    const sync = await after.sync(flowId, null);
    Y.applyUpdate(client, sync.update);
    expect(sync.version).toBe(12);
    expect([...nodesOf(client).keys()].sort()).toEqual(ids(content));
    // Only what is missing, given the client's state vector.
    await after.applyOps(flowId, [add('late')], meta);
    const delta = await after.sync(flowId, Y.encodeStateVector(client));
    expect(delta.update.byteLength).toBeLessThan(sync.update.byteLength);
    Y.applyUpdate(client, delta.update);
    expect(readNode(client, 'late')).toMatchObject({ record: { label: 'late' } });
  });

  it('replays events by version, and says when the log was compacted past a version', async () => {
    const flowId = await newFlow();
    const collab = instance({ snapshotEvery: 10, keepLog: 5, confirmForMs: 1 });
    for (let i = 0; i < 20; i += 1) await collab.applyOps(flowId, [add(`n${i}`)], meta);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const replay = await collab.eventsAfter(flowId, 16);
    expect((replay as FlowEventPayload[]).map((event) => event.version)).toEqual([17, 18, 19, 20]);
    expect(await collab.eventsAfter(flowId, 2)).toBe('compacted');
    // A fresh instance loads from the newest snapshot plus the log after it.
    expect(ids(await instance().read(flowId))).toHaveLength(20);
  });

  it('merges a pushed offline update, deletes edges left dangling in the same version, and ignores a repeat', async () => {
    const flowId = await newFlow();
    const collab = instance();
    await collab.applyOps(flowId, [add('a'), add('b')], meta);
    const offline = new Y.Doc();
    Y.applyUpdate(offline, (await collab.sync(flowId, null)).update);
    const sv = Y.encodeStateVector(offline);
    edgesOf(offline).set(
      'ab',
      new Y.Map<unknown>([
        ['source', 'a'],
        ['target', 'b'],
      ]),
    );
    nodesOf(offline).get('a')?.set('label', 'Edited offline');
    // Meanwhile b is deleted online.
    await collab.applyOps(flowId, [{ kind: FlowOpKind.DELETE_NODE, nodeId: 'b' }], meta);
    const update = Y.encodeStateAsUpdate(offline, sv);
    const pushed = await collab.pushUpdate(flowId, update, meta);
    expect(pushed.version).toBe(3);
    expect(pushed.content.edges).toEqual([]);
    expect(pushed.content.nodes).toMatchObject([{ id: 'a', label: 'Edited offline' }]);
    const event = (await collab.eventsAfter(flowId, 2)) as FlowEventPayload[];
    expect(event[0]?.ops.map((op) => `${op.kind}:${op.nodeId ?? op.edgeId}`)).toEqual(['UPDATE_NODE:a']);
    // The same update again brings nothing new: no new version.
    expect((await collab.pushUpdate(flowId, update, meta)).version).toBe(3);
  });

  it('never acknowledges a write on a copy the log was compacted past (another instance wrote far ahead)', async () => {
    const flowId = await newFlow();
    // A's copy is confirmed only briefly; B keeps little log, and compacts only what is older than that.
    const a = instance({ confirmForMs: 50 });
    const b = instance({ snapshotEvery: 10, keepLog: 10, confirmForMs: 50 });
    await a.applyOps(flowId, [add('n'), add('a')], meta);
    for (let i = 2; i < 40; i += 1) await b.applyOps(flowId, [move('n', i)], meta);
    await new Promise((resolve) => setTimeout(resolve, 300));
    // The snapshot at 40 compacts up to the one at 30, old enough by now.
    await b.applyOps(flowId, [move('n', 40)], meta);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await b.eventsAfter(flowId, 1)).toBe('compacted');
    const written = await a.applyOps(flowId, [move('a', 7)], meta);
    expect(written.version).toBe(41);
    const fresh = await instance().read(flowId);
    expect(fresh.version).toBe(41);
    expect(fresh.nodes.find((n) => n.id === 'a')).toMatchObject({ x: 7, y: 7 });
  });

  it('compacts only what is older than twice the confirmation window, however much log there is', async () => {
    const flowId = await newFlow();
    const collab = instance({ snapshotEvery: 10, keepLog: 5 }); // confirmed for 30 s: keeps the last minute
    for (let i = 0; i < 30; i += 1) await collab.applyOps(flowId, [add(`n${i}`)], meta);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const replay = await collab.eventsAfter(flowId, 0);
    expect((replay as FlowEventPayload[]).map((event) => event.version)).toEqual(
      Array.from({ length: 30 }, (_, i) => i + 1),
    );
  });

  it('snapshots a large document only once half its size has been written since', async () => {
    const flowId = await newFlow();
    const collab = instance({ snapshotEvery: 5 });
    const big = (id: string): FlowOp => ({
      kind: FlowOpKind.ADD_NODE,
      node: { id, type: 'screen', label: id, data: { text: 'x'.repeat(15_000) } },
    });
    // ~60 KB of content at version 5: its first snapshot.
    for (let i = 0; i < 4; i += 1) await collab.applyOps(flowId, [big(`b${i}`)], meta);
    await collab.applyOps(flowId, [add('n')], meta);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await store.log().latestSnapshot(flowId))?.version).toBe(5);
    // Small moves: versions 10 and 15 come and go without a snapshot.
    for (let i = 0; i < 10; i += 1) await collab.applyOps(flowId, [move('n', i)], meta);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await store.log().latestSnapshot(flowId))?.version).toBe(5);
    // Half the size written again (two more large nodes, at 16 and 17): the next one at 20.
    await collab.applyOps(flowId, [big('b4')], meta);
    await collab.applyOps(flowId, [big('b5')], meta);
    for (let i = 0; i < 3; i += 1) await collab.applyOps(flowId, [move('n', 100 + i)], meta);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await store.log().latestSnapshot(flowId))?.version).toBe(20);
    // Loading from it loses nothing.
    const fresh = await instance().read(flowId);
    expect(fresh.version).toBe(20);
    expect(fresh.nodes).toHaveLength(7);
  });

  it('refuses an invalid push whole, leaving the flow as it was', async () => {
    const flowId = await newFlow();
    const collab = instance();
    await collab.applyOps(flowId, [add('a')], meta);
    const offline = new Y.Doc();
    Y.applyUpdate(offline, (await collab.sync(flowId, null)).update);
    const sv = Y.encodeStateVector(offline);
    nodesOf(offline).get('a')?.set('label', 'fine');
    nodesOf(offline).set(
      'bad',
      new Y.Map<unknown>([
        ['type', 'screen'],
        ['label', 'x'.repeat(501)],
        ['position', { x: 0, y: 0 }],
      ]),
    );
    await expect(collab.pushUpdate(flowId, Y.encodeStateAsUpdate(offline, sv), meta)).rejects.toMatchObject({
      extensions: { code: 'BAD_USER_INPUT', field: 'update' },
    });
    await expect(collab.pushUpdate(flowId, new Uint8Array([1, 2, 3]), meta)).rejects.toMatchObject({
      extensions: { code: 'BAD_USER_INPUT' },
    });
    const content = await collab.read(flowId);
    expect(content).toMatchObject({ version: 1, nodes: [{ id: 'a', label: 'a' }] });
  });
});
