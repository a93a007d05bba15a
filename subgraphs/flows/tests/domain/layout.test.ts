import { describe, expect, it } from 'vitest';
import type { FlowGraph, Point, Size } from '../../src/domain/model.js';
import { layoutFlow, layoutOps, type FlowLayout } from '../../src/domain/layout.js';
import { applyOps } from '../../src/domain/applyOps.js';
import type { FlowOp } from '../../src/domain/ops.js';
import { checkout, edge, node, signUp } from './fixtures.js';

type Box = Point & Size;

const boxes = (layout: FlowLayout): Map<string, Box> =>
  new Map([...layout.positions].map(([id, at]) => [id, { ...at, ...layout.sizes.get(id)! }]));

const overlap = (a: Box, b: Box) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

function expectNoOverlap(layout: FlowLayout) {
  const all = [...boxes(layout)];
  for (const [i, [idA, a]] of all.entries()) {
    for (const [idB, b] of all.slice(i + 1)) expect(overlap(a, b), `${idA} overlaps ${idB}`).toBe(false);
  }
}

describe('layoutFlow', () => {
  it('lays a DAG out top-down: no overlaps, every edge pointing down, all inside the canvas', async () => {
    const graph = checkout();
    const layout = await layoutFlow(graph);
    expect(layout.positions.size).toBe(graph.nodes.length);
    expectNoOverlap(layout);
    const box = boxes(layout);
    for (const { source, target } of graph.edges) {
      expect(box.get(source)!.y + box.get(source)!.height, `${source} above ${target}`).toBeLessThanOrEqual(
        box.get(target)!.y,
      );
    }
    for (const b of box.values()) {
      expect(b.x).toBeGreaterThanOrEqual(0);
      expect(b.x + b.width).toBeLessThanOrEqual(layout.width);
      expect(b.y + b.height).toBeLessThanOrEqual(layout.height);
    }
    for (const e of graph.edges) expect(layout.routes.get(e.id)!.points.length).toBeGreaterThanOrEqual(2);
  });

  it('lays out left to right on request', async () => {
    const graph = checkout();
    const box = boxes(await layoutFlow(graph, { direction: 'RIGHT' }));
    for (const { source, target } of graph.edges) {
      expect(box.get(source)!.x + box.get(source)!.width).toBeLessThanOrEqual(box.get(target)!.x);
    }
  });

  it('puts starts first and ends last in a flow with a loop, and leaves room for edge captions', async () => {
    const graph = signUp();
    const layout = await layoutFlow(graph);
    expectNoOverlap(layout);
    const ys = new Map([...layout.positions].map(([id, at]) => [id, at.y]));
    const flowYs = graph.nodes.filter((n) => n.type !== 'note').map((n) => ys.get(n.id)!);
    expect(ys.get('start')).toBe(Math.min(...flowYs));
    expect(ys.get('end')).toBe(Math.max(...flowYs));
    expect(layout.routes.get('e3')!.caption).not.toBeNull();
    expect(layout.routes.get('e1')!.caption).toBeNull();
  });

  it('grows nodes to fit long labels and keeps given sizes', async () => {
    const graph: FlowGraph = {
      nodes: [
        { ...node('long'), label: 'A label long enough to need several lines inside its box. '.repeat(3).trim() },
        { ...node('sized'), size: { width: 300, height: 100 } },
      ],
      edges: [],
    };
    const { sizes } = await layoutFlow(graph);
    // 170 characters at 36 a line: five lines of 16 units, plus padding.
    expect(sizes.get('long')).toEqual({ width: 276, height: 100 });
    expect(sizes.get('sized')).toEqual({ width: 300, height: 100 });
  });

  it('lays out a large flow with the faster settings, still without overlaps or upward edges', async () => {
    const count = 208;
    const graph: FlowGraph = {
      nodes: Array.from({ length: count }, (_, i) =>
        node(`n${i}`, i === 0 ? 'start' : i % 7 === 3 ? 'decision' : 'screen'),
      ),
      edges: Array.from({ length: count - 1 }, (_, i) => edge(`e${i}`, `n${i}`, `n${i + 1}`)).concat(
        Array.from({ length: count / 8 }, (_, i) => edge(`skip${i}`, `n${i * 8}`, `n${i * 8 + 3}`)),
      ),
    };
    const layout = await layoutFlow(graph);
    expectNoOverlap(layout);
    const box = boxes(layout);
    for (const { source, target } of graph.edges) {
      expect(box.get(source)!.y + box.get(source)!.height).toBeLessThanOrEqual(box.get(target)!.y);
    }
  });

  it('lays out in a worker thread: the process keeps answering meanwhile', async () => {
    const count = 400;
    const graph: FlowGraph = {
      nodes: Array.from({ length: count }, (_, i) => node(`n${i}`, i === 0 ? 'start' : 'screen')),
      edges: Array.from({ length: count - 1 }, (_, i) => edge(`e${i}`, `n${i}`, `n${i + 1}`)).concat(
        Array.from({ length: count / 8 }, (_, i) => edge(`back${i}`, `n${i * 8 + 3}`, `n${i * 4}`)),
      ),
    };
    await layoutFlow({ nodes: [node('warm')], edges: [] });
    let last = performance.now();
    let longestStall = 0;
    const ticker = setInterval(() => {
      const now = performance.now();
      longestStall = Math.max(longestStall, now - last);
      last = now;
    }, 5);
    const started = performance.now();
    const layout = await layoutFlow(graph);
    const took = performance.now() - started;
    clearInterval(ticker);
    expect(layout.positions.size).toBe(count);
    // Meaningful only if the layout itself takes a while; on the main thread the longest
    // stall would be about as long as the layout.
    expect(took).toBeGreaterThan(300);
    expect(longestStall).toBeLessThan(took / 3);
  });

  it('keeps the first of duplicate nodes and skips dangling edges', async () => {
    const graph: FlowGraph = { nodes: [node('a'), node('a'), node('b')], edges: [edge('x', 'a', 'ghost')] };
    const layout = await layoutFlow(graph);
    expect([...layout.positions.keys()]).toEqual(['a', 'b']);
    expect(layout.routes.size).toBe(0);
  });
});

describe('layoutOps', () => {
  it('moves only the nodes whose position changes, as ops applyOps accepts', async () => {
    const graph = checkout();
    const { positions } = await layoutFlow(graph);
    const ops = layoutOps(graph, positions);
    expect(ops).toHaveLength(graph.nodes.length);
    expect(ops[0]).toEqual({ kind: 'MOVE_NODE', nodeId: 's', node: { position: positions.get('s') } });

    // Once applied, laying out again moves nothing.
    const records = {
      nodes: graph.nodes.map((n) => ({ id: n.id, type: n.type, label: n.label, x: 0, y: 0, data: null })),
      edges: graph.edges.map((e) => ({ id: e.id, source: e.source, target: e.target, label: null })),
    };
    const moved = applyOps(records, ops as unknown as FlowOp[]);
    const after: FlowGraph = {
      nodes: moved.nodes.map((n) => ({ ...node(n.id, n.type, n.label), position: { x: n.x, y: n.y } })),
      edges: graph.edges,
    };
    expect(layoutOps(after, positions)).toEqual([]);

    after.nodes[2]!.position = { x: -5, y: -5 };
    expect(layoutOps(after, positions).map((op) => op.nodeId)).toEqual([after.nodes[2]!.id]);
  });
});
