import { Schema, type Connection, type Model } from 'mongoose';

/**
 * A deleted document whose chunks and vectors may still exist: written before the document
 * is deleted, removed only once both are gone, so a crash or a Chroma outage in between
 * leaves work for the indexer's next round, never an orphan.
 */
export interface DeletionRecord {
  /** The document's id. */
  _id: string;
  scope: string;
  at: Date;
}

export type DeletionModel = Model<DeletionRecord>;

const deletionSchema = new Schema<DeletionRecord>(
  {
    _id: { type: String, required: true },
    scope: { type: String, required: true },
    at: { type: Date, required: true },
  },
  { versionKey: false },
);

// The sweep takes the oldest first.
deletionSchema.index({ at: 1 });

export const createDeletionModel = (db: Connection): DeletionModel =>
  db.model<DeletionRecord>('KnowledgeDeletion', deletionSchema, 'deletions');
