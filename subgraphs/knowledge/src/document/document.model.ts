import { Schema, type Connection, type HydratedDocument, type Model } from 'mongoose';

export interface DocumentRecord {
  ownerId: string;
  /** The workspace whose members share it; null for a personal document. */
  workspaceId: string | null;
  title: string;
  content: string;
  createdAt: Date;
}

export type KnowledgeDocumentDoc = HydratedDocument<DocumentRecord>;
export type DocumentModel = Model<DocumentRecord>;

const documentSchema = new Schema<DocumentRecord>(
  {
    ownerId: { type: String, required: true, index: true },
    workspaceId: { type: String, default: null, index: true },
    title: { type: String, required: true },
    content: { type: String, required: true },
  },
  { timestamps: { createdAt: true, updatedAt: false }, versionKey: false },
);

export const createDocumentModel = (db: Connection): DocumentModel =>
  db.model<DocumentRecord>('KnowledgeDocument', documentSchema, 'documents');
