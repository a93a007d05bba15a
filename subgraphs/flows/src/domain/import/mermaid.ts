import { FLOW_LIMITS, type GraphEdge, type GraphNode } from '../model.js';
import { readLabel, type Fail } from './fields.js';
import { checkInputSize, mermaidError as error } from './importError.js';
import { readEdgeMeta, readFlowMeta, readNodeMeta, type EdgeMeta, type NodeMeta } from './mermaidMeta.js';
import { parseStatements, type MermaidShape } from './mermaidSyntax.js';
import type { ImportedFlow } from './types.js';

interface DeclaredNode {
  mermaidId: string;
  line: number;
  shape: MermaidShape | null;
  label: string | null;
  incoming: number;
  outgoing: number;
}

interface DeclaredEdge {
  line: number;
  source: string;
  target: string;
  label: string | null;
  meta: EdgeMeta | null;
}

/** Lines that style or group; a subgraph's nodes and edges still count, the grouping does not. */
const IGNORED = /^(subgraph|direction|classDef|class|style|linkStyle|click|accTitle|accDescr)\b/;
const HEADER = /^(?:flowchart|flowchart-elk|graph)(?:\s+(?:TB|TD|BT|RL|LR))?\s*(?:;(.*))?$/;
const META = /^%%\s*ufe:(flow|node|edge)\b\s*(.*)$/;

/**
 * Reads a Mermaid flowchart: what `exportMermaid` writes, restored exactly through its
 * `%% ufe:` comments, and the common hand-written syntax. Without a comment a node keeps
 * its Mermaid id and gets its type from its shape: rhombus or hexagon → decision;
 * stadium or circle → start when nothing leads in, else end when nothing leads out,
 * else screen; the asymmetric flag (our note shape) → note; anything else → screen.
 */
export function importMermaid(text: string): ImportedFlow {
  checkInputSize(text, 'MERMAID');
  const lines = text.split(/\r\n|\r|\n/);
  const nodes = new Map<string, DeclaredNode>();
  const edges: DeclaredEdge[] = [];
  const nodeMeta = new Map<string, NodeMeta>();
  let name: string | null = null;
  let pendingEdge: EdgeMeta | null = null;
  let header = false;
  let inBlock = false;
  let first = 0;

  if (lines[0]?.trim() === '---') {
    // YAML front matter: only its title is ours to read.
    const close = lines.findIndex((line, i) => i > 0 && line.trim() === '---');
    if (close < 0) throw error(1, 'the front matter that starts here is not closed with ---.');
    for (const line of lines.slice(1, close)) {
      const title = /^title:\s*(.*?)\s*$/.exec(line)?.[1];
      if (title) name = title.replace(/^(["'])(.*)\1$/, '$2');
    }
    first = close + 1;
  }

  const declare = (line: number, ref: { id: string; shape: MermaidShape | null; label: string | null }) => {
    const known = nodes.get(ref.id);
    if (!known) {
      if (nodes.size >= FLOW_LIMITS.nodes) {
        throw error(line, `the flow has more than ${FLOW_LIMITS.nodes} nodes, the most an import takes.`);
      }
      nodes.set(ref.id, { mermaidId: ref.id, line, shape: ref.shape, label: ref.label, incoming: 0, outgoing: 0 });
    } else if (ref.shape !== null) {
      // Mermaid lets a later declaration restyle and relabel a node; so do we.
      Object.assign(known, { line, shape: ref.shape, label: ref.label });
    }
  };

  const statements = (line: number, source: string, offset = 0) => {
    for (const { groups, labels } of parseStatements(source, (message, column) => {
      throw error(line, message, column + offset);
    })) {
      groups.forEach((group) => group.forEach((ref) => declare(line, ref)));
      labels.forEach((label, k) => {
        for (const from of groups[k]!) {
          for (const to of groups[k + 1]!) {
            if (edges.length >= FLOW_LIMITS.edges) {
              throw error(line, `the flow has more than ${FLOW_LIMITS.edges} edges, the most an import takes.`);
            }
            let meta: EdgeMeta | null = null;
            if (pendingEdge) {
              if (pendingEdge.source !== from.id || pendingEdge.target !== to.id) {
                throw error(
                  pendingEdge.line,
                  `this %% ufe:edge comment is for ${pendingEdge.source} → ${pendingEdge.target}, but the next edge (line ${line}) is ${from.id} → ${to.id}.`,
                );
              }
              meta = pendingEdge;
              pendingEdge = null;
            }
            nodes.get(from.id)!.outgoing++;
            nodes.get(to.id)!.incoming++;
            edges.push({ line, source: from.id, target: to.id, label, meta });
          }
        }
      });
    }
  };

  for (let i = first; i < lines.length; i++) {
    const line = i + 1;
    const raw = lines[i]!;
    const trimmed = raw.trim();
    if (trimmed.length === 0) continue;
    if (inBlock) {
      inBlock = !trimmed.includes('}');
      continue;
    }
    if (trimmed.startsWith('%%')) {
      const meta = META.exec(trimmed);
      if (!meta) continue;
      const [, kind, body] = meta;
      if (kind === 'flow') name = readFlowMeta(line, body!) ?? name;
      if (kind === 'node') {
        const [mermaidId, value] = readNodeMeta(line, body!);
        if (nodeMeta.has(mermaidId)) throw error(line, `${mermaidId} already has a %% ufe:node comment.`);
        nodeMeta.set(mermaidId, value);
      }
      if (kind === 'edge') {
        if (pendingEdge) throw error(pendingEdge.line, 'this %% ufe:edge comment is not followed by its edge.');
        pendingEdge = readEdgeMeta(line, body!);
      }
      continue;
    }
    if (!header) {
      const match = HEADER.exec(trimmed);
      if (!match) {
        throw error(
          line,
          `only flowcharts can be imported: start with "flowchart TD" or "graph LR" (found ${JSON.stringify(trimmed.slice(0, 40))}).`,
        );
      }
      header = true;
      if (match[1]) statements(line, match[1], raw.indexOf(';') + 1);
      continue;
    }
    if (trimmed === 'end' || trimmed === 'end;') continue;
    if (IGNORED.test(trimmed)) {
      inBlock = /^accDescr\s*\{/.test(trimmed) && !trimmed.includes('}');
      continue;
    }
    statements(line, raw);
  }

  if (!header) throw error(lines.length, 'there is no flowchart: start with "flowchart TD" or "graph LR".');
  if (pendingEdge) throw error((pendingEdge as EdgeMeta).line, 'this %% ufe:edge comment is not followed by its edge.');
  return { name, graph: assemble(nodes, edges, nodeMeta) };
}

function assemble(
  declared: ReadonlyMap<string, DeclaredNode>,
  declaredEdges: readonly DeclaredEdge[],
  nodeMeta: ReadonlyMap<string, NodeMeta>,
): ImportedFlow['graph'] {
  for (const [mermaidId, meta] of nodeMeta) {
    if (!declared.has(mermaidId)) {
      throw error(meta.line, `this %% ufe:node comment is for ${mermaidId}, which the flowchart never uses.`);
    }
  }
  const idOf = new Map<string, string>();
  const lineOf = new Map<string, number>();
  const nodes: GraphNode[] = [];
  for (const node of declared.values()) {
    const meta = nodeMeta.get(node.mermaidId);
    const id = meta?.id ?? node.mermaidId;
    const line = meta?.line ?? node.line;
    if (lineOf.has(id)) throw error(line, `the node id "${id}" is also used on line ${lineOf.get(id)}.`);
    lineOf.set(id, line);
    idOf.set(node.mermaidId, id);
    const fail: Fail = (message) => {
      throw error(node.line, `the label of ${node.mermaidId} ${message}`);
    };
    // Mermaid draws a node declared without a label with its id.
    const label = readLabel(node.label?.trim() || node.mermaidId, 'label', fail);
    nodes.push({
      id,
      type: meta?.type ?? inferType(node),
      label,
      position: meta?.position ?? { x: 0, y: 0 },
      ...(meta?.size ? { size: meta.size } : {}),
      ...(meta?.data !== undefined ? { data: meta.data } : {}),
    });
  }

  const taken = new Map<string, number>();
  for (const edge of declaredEdges) {
    if (!edge.meta) continue;
    const first = taken.get(edge.meta.id);
    if (first !== undefined)
      throw error(edge.meta.line, `the edge id "${edge.meta.id}" is also used on line ${first}.`);
    taken.set(edge.meta.id, edge.meta.line);
  }
  let counter = 0;
  const freshId = (): string => {
    let id: string;
    do id = `e${++counter}`;
    while (taken.has(id));
    return id;
  };
  const edges = declaredEdges.map((edge): GraphEdge => ({
    id: edge.meta?.id ?? freshId(),
    source: idOf.get(edge.source)!,
    target: idOf.get(edge.target)!,
    ...(edge.label !== null ? { label: checkEdgeText(edge.label, edge.line, 'label') } : {}),
    ...(edge.meta?.condition != null ? { condition: edge.meta.condition } : {}),
  }));
  return { nodes, edges };
}

function inferType(node: DeclaredNode): string {
  switch (node.shape) {
    case 'rhombus':
    case 'hexagon':
      return 'decision';
    case 'stadium':
    case 'circle':
    case 'doublecircle':
      return node.incoming === 0 ? 'start' : node.outgoing === 0 ? 'end' : 'screen';
    case 'asymmetric':
      return 'note';
    default:
      return 'screen';
  }
}

function checkEdgeText(text: string, line: number, what: string): string {
  if (text.length > FLOW_LIMITS.labelLength) {
    throw error(line, `an edge ${what} has ${text.length} characters; the most is ${FLOW_LIMITS.labelLength}.`);
  }
  return text;
}
