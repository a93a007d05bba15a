import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import ElkModule from 'elkjs';
import type { ELK, ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk-api.js';
import type { FlowGraph, Point, Size } from './model.js';
import { edgeCaption, measureCaption, measureNode } from './measure.js';
import { FlowOpKind, type FlowOp } from './ops.js';

// CommonJS; under NodeNext its default import is the constructor itself.
const Elk = ElkModule as unknown as typeof ElkModule.default;
/**
 * Layouts run in a worker thread (elkjs runs its worker through the `web-worker` package
 * when given a `workerUrl`): a large flow takes seconds, which on the main thread would
 * stall every request and subscription of this process.
 */
const WORKER_URL = pathToFileURL(createRequire(import.meta.url).resolve('elkjs/lib/elk-worker.min.js')).href;
let elk: ELK | undefined;

/** Stops the layout worker, if one was started (a process does not exit while it runs). */
export function stopLayoutWorker(): void {
  elk?.terminateWorker();
  elk = undefined;
}

/**
 * ELK's default effort grows steeply with long edges: on this project's 2-core machine a
 * 500-node flow with some long back edges took about 15 s at the defaults and under 4 s
 * with these settings (2,000 nodes: minutes against about half a minute). Large flows
 * trade a few crossings, and following node order, for time.
 */
const LARGE_FLOW = 200;
const FAST = {
  'elk.layered.thoroughness': '1',
  'elk.layered.crossingMinimization.greedySwitch.type': 'OFF',
} as const;

export interface LayoutOptions {
  /** Which way edges point. @default 'DOWN' */
  direction?: 'DOWN' | 'RIGHT';
  /** Space between nodes of one layer. @default 40 */
  nodeSpacing?: number;
  /** Space between layers. @default 60 */
  layerSpacing?: number;
}

export interface EdgeRoute {
  /** From the source's border to the target's border, bends in between. */
  points: Point[];
  /** Where the caption goes (top-left), when the edge has one. */
  caption: (Point & Size) | null;
}

export interface FlowLayout {
  /** Top-left corner of every node, rounded to whole units. */
  positions: Map<string, Point>;
  sizes: Map<string, Size>;
  routes: Map<string, EdgeRoute>;
  width: number;
  height: number;
}

/**
 * Layered (Sugiyama) layout with elkjs. Starts are put in the first layer and ends in the
 * last, and loops are broken depth-first in node order, so a flow reads from its start.
 * Duplicate node ids keep their first node; dangling edges are left out.
 */
export async function layoutFlow(graph: FlowGraph, options: LayoutOptions = {}): Promise<FlowLayout> {
  const ids: string[] = [];
  const sizes = new Map<string, Size>();
  const children: ElkNode[] = [];
  for (const node of graph.nodes) {
    if (sizes.has(node.id)) continue;
    const size = measureNode(node);
    sizes.set(node.id, size);
    const constraint = node.type === 'start' ? 'FIRST' : node.type === 'end' ? 'LAST' : null;
    // ELK gets index-based ids: user ids may be any string.
    children.push({
      id: `n${ids.length}`,
      ...size,
      ...(constraint ? { layoutOptions: { 'elk.layered.layering.layerConstraint': constraint } } : {}),
    });
    ids.push(node.id);
  }
  const elkId = new Map(ids.map((id, i) => [id, `n${i}`]));
  const edgeIds: string[] = [];
  const edges: ElkExtendedEdge[] = [];
  for (const edge of graph.edges) {
    const source = elkId.get(edge.source);
    const target = elkId.get(edge.target);
    if (!source || !target) continue;
    const caption = edgeCaption(edge);
    edges.push({
      id: `e${edgeIds.length}`,
      sources: [source],
      targets: [target],
      ...(caption.length > 0 ? { labels: [{ text: caption.join('\n'), ...measureCaption(caption) }] } : {}),
    });
    edgeIds.push(edge.id);
  }

  const root: ElkNode = {
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': options.direction ?? 'DOWN',
      'elk.spacing.nodeNode': String(options.nodeSpacing ?? 40),
      'elk.layered.spacing.nodeNodeBetweenLayers': String(options.layerSpacing ?? 60),
      'elk.spacing.edgeLabel': '4',
      'elk.edgeLabels.placement': 'CENTER',
      'elk.layered.cycleBreaking.strategy': 'DEPTH_FIRST',
      ...(children.length > LARGE_FLOW ? FAST : { 'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES' }),
      'elk.padding': '[top=20,left=20,bottom=20,right=20]',
    },
    children,
    edges,
  };
  elk ??= new Elk({ workerUrl: WORKER_URL });
  const result = await elk.layout(root);

  const positions = new Map<string, Point>();
  for (const child of result.children ?? []) {
    positions.set(ids[Number(child.id.slice(1))]!, { x: Math.round(child.x ?? 0), y: Math.round(child.y ?? 0) });
  }
  const routes = new Map<string, EdgeRoute>();
  for (const edge of result.edges ?? []) {
    const points = (edge.sections ?? []).flatMap((section) => [
      section.startPoint,
      ...(section.bendPoints ?? []),
      section.endPoint,
    ]);
    const label = edge.labels?.[0];
    const caption = label
      ? { x: label.x ?? 0, y: label.y ?? 0, width: label.width ?? 0, height: label.height ?? 0 }
      : null;
    routes.set(edgeIds[Number(edge.id.slice(1))]!, { points, caption });
  }
  return { positions, sizes, routes, width: Math.ceil(result.width ?? 0), height: Math.ceil(result.height ?? 0) };
}

/** The op that moves one node. */
export type MoveNodeOp = FlowOp & { kind: FlowOpKind.MOVE_NODE; nodeId: string; node: { position: Point } };

/** MOVE_NODE ops for the nodes whose position changes, in graph order, so collaborators see the layout happen. */
export function layoutOps(graph: FlowGraph, positions: ReadonlyMap<string, Point>): MoveNodeOp[] {
  const ops: MoveNodeOp[] = [];
  const seen = new Set<string>();
  for (const node of graph.nodes) {
    const to = positions.get(node.id);
    if (seen.has(node.id) || !to) continue;
    seen.add(node.id);
    if (to.x === node.position.x && to.y === node.position.y) continue;
    ops.push({ kind: FlowOpKind.MOVE_NODE, nodeId: node.id, node: { position: { x: to.x, y: to.y } } });
  }
  return ops;
}
