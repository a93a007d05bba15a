import { Schema, type Connection, type HydratedDocument, type Model } from 'mongoose';
import { KnowledgeFormat } from '../domain/documentText.js';
import { KnowledgeIndexStatus } from '../domain/indexStatus.js';

export interface DocumentRecord {
  /** Who added it. */
  ownerId: string;
  /** The workspace whose members share it; null for a personal document. */
  workspaceId: string | null;
  title: string;
  /** `titleWords(title)`: what the title filter looks up. */
  titleWords: string[];
  /** As given (HTML included); `text` is what is indexed and shown to the AI. */
  content: string;
  format: KnowledgeFormat;
  /** The content as plain text (HTML turned into text by a parser: no markup, no scripts). */
  text: string;
  source: string | null;
  tags: string[];
  /** 1 when added, one more on every update; chunks and vectors carry it. */
  version: number;
  indexStatus: KnowledgeIndexStatus;
  indexError: string | null;
  /** Chunks of the indexed version (0 until indexed). */
  chunkCount: number;
  createdAt: Date;
  updatedAt: Date;
}

export type KnowledgeDocumentDoc = HydratedDocument<DocumentRecord>;
export type DocumentModel = Model<DocumentRecord>;

const documentSchema = new Schema<DocumentRecord>(
  {
    ownerId: { type: String, required: true },
    workspaceId: { type: String, default: null },
    title: { type: String, required: true },
    titleWords: { type: [String], default: [] },
    content: { type: String, required: true },
    format: { type: String, required: true, default: KnowledgeFormat.MARKDOWN },
    text: { type: String, default: '' },
    source: { type: String, default: null },
    tags: { type: [String], default: [] },
    version: { type: Number, required: true, default: 1 },
    indexStatus: { type: String, required: true, default: KnowledgeIndexStatus.PENDING },
    indexError: { type: String, default: null },
    chunkCount: { type: Number, required: true, default: 0 },
  },
  { timestamps: true, versionKey: false },
);
// Listings: a workspace's documents, or a user's personal ones, newest first; tags and
// title words narrow them through the same indexes (array fields index each element).
documentSchema.index({ workspaceId: 1, _id: -1 });
documentSchema.index({ ownerId: 1, workspaceId: 1, _id: -1 });
documentSchema.index({ workspaceId: 1, tags: 1 });
documentSchema.index({ workspaceId: 1, titleWords: 1 });
// The indexer's queue: PENDING versions, oldest change first.
documentSchema.index({ indexStatus: 1, updatedAt: 1 });

export const createDocumentModel = (db: Connection): DocumentModel =>
  db.model<DocumentRecord>('KnowledgeDocument', documentSchema, 'documents');
