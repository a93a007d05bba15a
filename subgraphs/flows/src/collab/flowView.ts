import type { EdgeRecord, NodeRecord } from '../domain/model.js';
import type { FlowContent } from '../domain/model.js';
import type { GraphChanges, GraphState } from '../domain/applyOps.js';

/**
 * The plain records of a flow's document, kept next to it so validation, reads and
 * derived ops never walk the CRDT. Records are replaced, never mutated, so a copy of the
 * arrays is a consistent snapshot.
 */
export class FlowView implements GraphState {
  readonly nodes = new Map<string, NodeRecord>();
  readonly edges = new Map<string, EdgeRecord>();
  /** Edge ids by the node at either end. */
  private readonly adjacency = new Map<string, Set<string>>();

  node(id: string): NodeRecord | undefined {
    return this.nodes.get(id);
  }

  edge(id: string): EdgeRecord | undefined {
    return this.edges.get(id);
  }

  get nodeCount(): number {
    return this.nodes.size;
  }

  get edgeCount(): number {
    return this.edges.size;
  }

  edgeIdsOf(nodeId: string): Iterable<string> {
    return this.adjacency.get(nodeId) ?? [];
  }

  setNode(id: string, node: NodeRecord | null): void {
    if (node) this.nodes.set(id, node);
    else this.nodes.delete(id);
  }

  setEdge(id: string, edge: EdgeRecord | null): void {
    const before = this.edges.get(id);
    if (before) for (const end of [before.source, before.target]) this.unlink(end, id);
    if (!edge) {
      this.edges.delete(id);
      return;
    }
    this.edges.set(id, edge);
    for (const end of [edge.source, edge.target]) {
      const set = this.adjacency.get(end) ?? new Set<string>();
      set.add(id);
      this.adjacency.set(end, set);
    }
  }

  apply(changes: GraphChanges): void {
    for (const [id, edge] of changes.edges) if (!edge) this.setEdge(id, null);
    for (const [id, node] of changes.nodes) this.setNode(id, node);
    for (const [id, edge] of changes.edges) if (edge) this.setEdge(id, edge);
  }

  content(version: number): FlowContent {
    return { version, nodes: [...this.nodes.values()], edges: [...this.edges.values()] };
  }

  private unlink(nodeId: string, edgeId: string): void {
    const set = this.adjacency.get(nodeId);
    if (!set) return;
    set.delete(edgeId);
    if (set.size === 0) this.adjacency.delete(nodeId);
  }
}
