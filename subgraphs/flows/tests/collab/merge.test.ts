// Merge outcomes of the flow document, with Y.Docs standing in for offline clients.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { edgesOf, nodesOf, readEdge, readNode, writeChanges } from '../../src/collab/flowDoc.js';
import { FlowView } from '../../src/collab/flowView.js';
import { diffToOps, normalizePushed } from '../../src/collab/merge.js';
import { planOps } from '../../src/domain/applyOps.js';
import { FlowOpKind, type FlowOp } from '../../src/domain/ops.js';

const addNode = (id: string, x = 0): FlowOp => ({
  kind: FlowOpKind.ADD_NODE,
  node: { id, type: 'screen', label: id, position: { x, y: 0 } },
});
const addEdge = (id: string, source: string, target: string): FlowOp => ({
  kind: FlowOpKind.ADD_EDGE,
  edge: { id, source, target },
});

/** A server-side pair: the document and its view, changed only through `planOps`. */
function server(ops: FlowOp[]): { doc: Y.Doc; view: FlowView } {
  const doc = new Y.Doc();
  const view = new FlowView();
  const planned = planOps(view, ops);
  writeChanges(doc, planned, 'server');
  view.apply(planned);
  return { doc, view };
}

/** A client's copy of a document. */
function copyOf(doc: Y.Doc): Y.Doc {
  const copy = new Y.Doc();
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
  return copy;
}

const exchange = (a: Y.Doc, b: Y.Doc): void => {
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
};

const plain = (doc: Y.Doc) => ({
  nodes: [...nodesOf(doc).keys()].sort().map((id) => readNode(doc, id)),
  edges: [...edgesOf(doc).keys()].sort().map((id) => readEdge(doc, id)),
});

describe('ops into a document', () => {
  it('writes exactly what planOps validated, readable back as the same records', () => {
    const { doc, view } = server([
      addNode('a'),
      addNode('b', 5),
      addEdge('ab', 'a', 'b'),
      { kind: FlowOpKind.UPDATE_NODE, nodeId: 'b', node: { data: { k: [1, 2] }, size: { width: 10, height: 20 } } },
    ]);
    expect(readNode(doc, 'b')).toEqual({ record: view.nodes.get('b') });
    expect(view.nodes.get('b')).toMatchObject({ data: '{"k":[1,2]}', size: { width: 10, height: 20 }, x: 5 });
    expect(readEdge(doc, 'ab')).toEqual({ record: view.edges.get('ab') });
    expect([...view.edgeIdsOf('a')]).toEqual(['ab']);
  });

  it('changes only the fields an update names, so a concurrent edit of another field survives', () => {
    const { doc } = server([addNode('a')]);
    const other = copyOf(doc);
    const view = new FlowView();
    for (const id of nodesOf(doc).keys()) {
      const read = readNode(doc, id);
      if (read && 'record' in read) view.setNode(id, read.record);
    }
    writeChanges(
      doc,
      planOps(view, [{ kind: FlowOpKind.MOVE_NODE, nodeId: 'a', node: { position: { x: 9, y: 9 } } }]),
      's',
    );
    nodesOf(other).get('a')?.set('label', 'Renamed');
    exchange(doc, other);
    expect(readNode(doc, 'a')).toMatchObject({ record: { label: 'Renamed', x: 9, y: 9 } });
    expect(plain(doc)).toEqual(plain(other));
  });
});

describe('merge outcomes of concurrent offline edits', () => {
  it('two moves of the same node: one whole position wins, the same everywhere', () => {
    const { doc } = server([addNode('a')]);
    const [one, two] = [copyOf(doc), copyOf(doc)];
    nodesOf(one).get('a')?.set('position', { x: 1, y: 1 });
    nodesOf(two).get('a')?.set('position', { x: 2, y: 2 });
    exchange(one, two);
    const position = nodesOf(one).get('a')?.get('position');
    expect([
      { x: 1, y: 1 },
      { x: 2, y: 2 },
    ]).toContainEqual(position);
    expect(plain(one)).toEqual(plain(two));
  });

  it('an edit of a node another client deleted: the deletion wins', () => {
    const { doc } = server([addNode('a')]);
    const [editor, deleter] = [copyOf(doc), copyOf(doc)];
    nodesOf(editor).get('a')?.set('label', 'Edited');
    nodesOf(deleter).delete('a');
    exchange(editor, deleter);
    expect(nodesOf(editor).has('a')).toBe(false);
    expect(plain(editor)).toEqual(plain(deleter));
  });

  it('a node re-added under the same id while another client deleted it: the re-added one stays', () => {
    const { doc } = server([addNode('a')]);
    const [adder, deleter] = [copyOf(doc), copyOf(doc)];
    nodesOf(adder).set(
      'a',
      new Y.Map<unknown>([
        ['type', 'note'],
        ['label', 'Again'],
        ['position', { x: 0, y: 0 }],
      ]),
    );
    nodesOf(deleter).delete('a');
    exchange(adder, deleter);
    expect(readNode(adder, 'a')).toMatchObject({ record: { label: 'Again' } });
    expect(plain(adder)).toEqual(plain(deleter));
  });

  it('an edge to a node deleted concurrently: the server deletes the edge in the same version', () => {
    const { doc, view } = server([addNode('a'), addNode('b')]);
    const offline = copyOf(doc);
    edgesOf(offline).set(
      'ab',
      new Y.Map<unknown>([
        ['source', 'a'],
        ['target', 'b'],
      ]),
    );
    // Meanwhile on the server: b is deleted (it had no edges then).
    const deletion = planOps(view, [{ kind: FlowOpKind.DELETE_NODE, nodeId: 'b' }]);
    writeChanges(doc, deletion, 'server');
    view.apply(deletion);

    const touched = { nodes: new Set<string>(), edges: new Set<string>() };
    doc.on('afterTransaction', (tr: Y.Transaction) => {
      for (const [type, keys] of tr.changed)
        if (type === (edgesOf(doc) as unknown)) for (const k of keys) if (k) touched.edges.add(k);
    });
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(offline, Y.encodeStateVector(doc)));
    const { changes, dangling } = normalizePushed(doc, view, touched);
    expect(dangling).toEqual(['ab']);
    expect(diffToOps(view, changes)).toEqual([]);
  });

  it('a pushed node with an invalid type or an unknown field is refused as BAD_USER_INPUT', () => {
    const [doc, view] = [new Y.Doc(), new FlowView()];
    nodesOf(doc).set(
      'x',
      new Y.Map<unknown>([
        ['type', 'Not A Type'],
        ['label', 'x'],
        ['position', { x: 0, y: 0 }],
      ]),
    );
    expect(() => normalizePushed(doc, view, { nodes: new Set(['x']), edges: new Set() })).toThrow(/type/);
    nodesOf(doc).set(
      'y',
      new Y.Map<unknown>([
        ['type', 'screen'],
        ['label', 'y'],
        ['position', { x: 0, y: 0 }],
        ['evil', 1],
      ]),
    );
    expect(() => normalizePushed(doc, view, { nodes: new Set(['y']), edges: new Set() })).toThrow(/unknown field/);
  });

  it('derives replayable ops from a merged update: edge deletions first, then nodes, then edges', () => {
    const { view } = server([addNode('a'), addNode('b'), addEdge('ab', 'a', 'b')]);
    const changes = {
      nodes: new Map([
        ['b', null],
        ['c', { id: 'c', type: 'end', label: 'C', x: 1, y: 1, size: null, data: null }],
      ]),
      edges: new Map([
        ['ab', null],
        ['ac', { id: 'ac', source: 'a', target: 'c', label: null, condition: 'ok' }],
      ]),
    };
    expect(diffToOps(view, changes).map((op) => `${op.kind}:${op.nodeId ?? op.edgeId}`)).toEqual([
      'DELETE_EDGE:ab',
      'DELETE_NODE:b',
      'ADD_NODE:c',
      'ADD_EDGE:ac',
    ]);
  });
});
