import { Schema, type Connection, type Model } from 'mongoose';

/**
 * One chunk of one version of a document: what search returns and the keyword side ranks.
 * Its vector is in Chroma under the same id; MongoDB is the source of truth, so a hit is
 * only ever answered from here, for the document's current, indexed version.
 */
export interface ChunkRecord {
  /** `chunkId(documentId, version, index)`: writing a chunk again replaces it. */
  _id: string;
  documentId: string;
  version: number;
  /** `scopeOf(document)`: whose knowledge it is; every query names the scopes it may read. */
  scope: string;
  index: number;
  text: string;
  headingPath: string[];
  start: number;
  end: number;
  tokens: number;
  /** The document's tags, so a tag filter is a lookup. */
  tags: string[];
  /** The analysed terms, each once: the postings the keyword side looks up. */
  terms: string[];
  /**
   * How often each of `terms` occurs, in the same order (not a map: terms may hold dots,
   * which field names may not; not pairs: the embedded engine takes no nested arrays).
   */
  counts: number[];
  /** How many terms the passage has, for BM25's length normalisation. */
  length: number;
}

export type ChunkModel = Model<ChunkRecord>;

export const chunkId = (documentId: string, version: number, index: number): string =>
  `${documentId}:${version}:${index}`;

/** `w:<workspaceId>` for a workspace's knowledge, `u:<userId>` for a personal one. */
export const scopeOf = (doc: { workspaceId: string | null; ownerId: string }): string =>
  doc.workspaceId ? `w:${doc.workspaceId}` : `u:${doc.ownerId}`;

const chunkSchema = new Schema<ChunkRecord>(
  {
    _id: { type: String, required: true },
    documentId: { type: String, required: true },
    version: { type: Number, required: true },
    scope: { type: String, required: true },
    index: { type: Number, required: true },
    text: { type: String, required: true },
    headingPath: { type: [String], default: [] },
    start: { type: Number, required: true },
    end: { type: Number, required: true },
    tokens: { type: Number, required: true },
    tags: { type: [String], default: [] },
    terms: { type: [String], default: [] },
    counts: { type: [Number], default: [] },
    length: { type: Number, required: true },
  },
  { versionKey: false },
);
chunkSchema.index({ documentId: 1, version: 1 });
chunkSchema.index({ scope: 1, terms: 1 });

export const createChunkModel = (db: Connection): ChunkModel =>
  db.model<ChunkRecord>('KnowledgeChunk', chunkSchema, 'chunks');
