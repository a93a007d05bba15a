import type { FlowEdge, FlowNode, Flow } from './flow.type.js';
import type { EdgeRecord, FlowDocument, NodeRecord } from './flow.model.js';

export const toFlowNode = (node: NodeRecord): FlowNode => ({
  id: node.id,
  type: node.type,
  label: node.label,
  position: { x: node.x, y: node.y },
  data: node.data === null ? null : (JSON.parse(node.data) as unknown),
});

export const toFlowEdge = (edge: EdgeRecord): FlowEdge => ({
  id: edge.id,
  source: edge.source,
  target: edge.target,
  label: edge.label,
});

export const toFlow = (doc: FlowDocument): Flow => ({
  id: doc.id as string,
  name: doc.name,
  description: doc.description,
  version: doc.version,
  nodes: doc.nodes.map(toFlowNode),
  edges: doc.edges.map(toFlowEdge),
  owner: { id: doc.ownerId },
  workspace: doc.workspaceId ? { id: doc.workspaceId } : null,
  createdAt: doc.createdAt,
  updatedAt: doc.updatedAt,
});
