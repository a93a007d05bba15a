import { Schema, type Connection, type HydratedDocument, type Model } from 'mongoose';
import type { EdgeRecord, NodeRecord, Size } from '../domain/model.js';

// Node `data` is kept as a JSON string: the store must not see user-shaped documents.

export interface FlowRecord {
  name: string;
  description: string | null;
  ownerId: string;
  /** The workspace whose members share the flow; null for a personal flow. */
  workspaceId: string | null;
  /** Set while the flow is in the trash (soft-deleted); it can be restored. */
  deletedAt: Date | null;
  /**
   * The version of the flow's CRDT document (`collab/`) last copied for listings, shortly
   * after each accepted write; the content copy is kept apart (`UpdateLog.writeListing`),
   * so that a page of records never carries content. Reads of one flow come from the
   * document itself.
   */
  version: number;
  /** `{ nodes, edges }` as JSON text, as records held it before the listing copy was apart. */
  content?: string | null;
  /** Content as written before flows had CRDT documents; moved into the first snapshot. */
  nodes?: NodeRecord[];
  edges?: EdgeRecord[];
  createdAt: Date;
  updatedAt: Date;
}

export type FlowDocument = HydratedDocument<FlowRecord>;
export type FlowModel = Model<FlowRecord>;

const nodeSchema = new Schema<NodeRecord>(
  {
    id: { type: String, required: true },
    type: { type: String, required: true },
    label: { type: String, required: true },
    x: { type: Number, required: true },
    y: { type: Number, required: true },
    size: {
      type: new Schema<Size>({ width: Number, height: Number }, { _id: false }),
      default: null,
    },
    data: { type: String, default: null },
  },
  { _id: false },
);

const edgeSchema = new Schema<EdgeRecord>(
  {
    id: { type: String, required: true },
    source: { type: String, required: true },
    target: { type: String, required: true },
    label: { type: String, default: null },
    condition: { type: String, default: null },
  },
  { _id: false },
);

const flowSchema = new Schema<FlowRecord>(
  {
    name: { type: String, required: true },
    description: { type: String, default: null },
    ownerId: { type: String, required: true, index: true },
    workspaceId: { type: String, default: null },
    deletedAt: { type: Date, default: null },
    version: { type: Number, required: true, default: 0 },
    content: { type: String, default: undefined },
    nodes: { type: [nodeSchema], default: undefined },
    edges: { type: [edgeSchema], default: undefined },
  },
  // `version` is ours; mongoose's own `__v` is not used for concurrency here.
  { timestamps: true, versionKey: false },
);
flowSchema.index({ ownerId: 1, _id: -1 });
flowSchema.index({ workspaceId: 1, _id: -1 });

export const createFlowModel = (db: Connection): FlowModel => db.model<FlowRecord>('Flow', flowSchema, 'flows');
