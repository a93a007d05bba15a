import { Schema, type Connection, type HydratedDocument, type Model } from 'mongoose';

/** A version someone named: its whole document is kept, beyond any log compaction. */
export interface NamedVersionRecord {
  flowId: string;
  name: string;
  version: number;
  /** The Yjs document at `version`, as one update. */
  state: Buffer;
  authorId: string;
  at: Date;
}

export type NamedVersionDocument = HydratedDocument<NamedVersionRecord>;
export type NamedVersionModel = Model<NamedVersionRecord>;

const namedVersionSchema = new Schema<NamedVersionRecord>(
  {
    flowId: { type: String, required: true },
    name: { type: String, required: true },
    version: { type: Number, required: true },
    state: { type: Buffer, required: true },
    authorId: { type: String, required: true },
    at: { type: Date, required: true },
  },
  { versionKey: false },
);
namedVersionSchema.index({ flowId: 1, version: -1 });

export const createNamedVersionModel = (db: Connection): NamedVersionModel =>
  db.model<NamedVersionRecord>('FlowNamedVersion', namedVersionSchema, 'flow_named_versions');
