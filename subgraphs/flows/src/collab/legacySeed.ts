import * as Y from 'yjs';
import type { GraphChanges } from '../domain/applyOps.js';
import type { FlowModel } from '../store/flow.model.js';
import type { UpdateLog } from '../store/updateLog.js';
import { writeChanges } from './flowDoc.js';
import { FROM_SERVER } from './liveDoc.js';

/**
 * A flow written before documents existed has its content only in the `flows`
 * collection: it becomes the first snapshot, at its version (once, whichever instance
 * gets there first). False when there was nothing to seed.
 */
export async function seedFromLegacy(log: UpdateLog, flows: FlowModel, flowId: string): Promise<boolean> {
  const [first] = await log.after(flowId, 0, 1);
  if (first?.version === 1) return false;
  const legacy = await flows.findById(flowId, { version: 1, nodes: 1, edges: 1 }).lean();
  if (!legacy?.nodes || !legacy.edges || legacy.version === 0) return false;
  const doc = new Y.Doc();
  const changes: GraphChanges = {
    nodes: new Map(legacy.nodes.map((node) => [node.id, { ...node, size: node.size ?? null }])),
    edges: new Map(legacy.edges.map((edge) => [edge.id, { ...edge, condition: edge.condition ?? null }])),
  };
  writeChanges(doc, changes, FROM_SERVER);
  await log.saveSnapshot({ flowId, version: legacy.version, state: Y.encodeStateAsUpdate(doc), at: new Date() });
  return true;
}
