import {
  defaultSize,
  toGraphEdge,
  toGraphNode,
  type EdgeRecord,
  type FlowContent,
  type NodeRecord,
} from '../../domain/model.js';
import type { FlowDocument, FlowRecord } from '../../store/flow.model.js';
import type { Flow, FlowEdge, FlowNode } from './flow.type.js';

/** A node for GraphQL: without a size of its own, the default of its type. */
export const toFlowNode = (node: NodeRecord): FlowNode => ({
  ...toGraphNode(node),
  size: node.size ?? defaultSize(node.type),
});

export const toFlowEdge = (edge: EdgeRecord): FlowEdge => toGraphEdge(edge);

/**
 * A flow for GraphQL. `content` comes from the flow's CRDT document; without it the
 * `flows` collection's materialized view is used (listings). Nodes and edges are mapped
 * only when selected.
 */
export const toFlow = (doc: FlowDocument, content?: FlowContent): Flow => {
  const { version, nodes, edges } = content ?? listingContent(doc);
  return {
    id: doc.id as string,
    name: doc.name,
    description: doc.description,
    version,
    get nodes() {
      return nodes.map(toFlowNode);
    },
    get edges() {
      return edges.map(toFlowEdge);
    },
    owner: { id: doc.ownerId },
    workspace: doc.workspaceId ? { id: doc.workspaceId } : null,
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
  };
};

/** A flow's content as listings keep it: JSON text at a version (see `UpdateLog.writeListing`). */
export interface ListingCopy {
  version: number;
  content: string;
}

/** The content a listing shows: the listing copy, else what the record held before copies were apart. */
export function listingContent(
  doc: Pick<FlowRecord, 'version' | 'content' | 'nodes' | 'edges'>,
  copy?: ListingCopy,
): FlowContent {
  const text = copy?.content ?? doc.content;
  if (!text) return { version: doc.version, nodes: doc.nodes ?? [], edges: doc.edges ?? [] };
  const { nodes, edges } = JSON.parse(text) as Omit<FlowContent, 'version'>;
  return { version: copy?.version ?? doc.version, nodes, edges };
}
