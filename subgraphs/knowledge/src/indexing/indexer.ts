import type { KeyedLock } from '#internal/keyedLock';
import type { Logger } from '#internal/logger';
import { chunkText } from '../domain/chunker.js';
import { toDocumentText } from '../domain/documentText.js';
import { KnowledgeIndexStatus } from '../domain/indexStatus.js';
import { termFrequencies } from '../domain/keywordScore.js';
import { embedOffline } from '../domain/offlineEmbedding.js';
import { chunkId, scopeOf, type ChunkModel, type ChunkRecord } from '../store/chunk.model.js';
import type { DeletionModel } from '../store/deletion.model.js';
import type { DocumentModel, KnowledgeDocumentDoc } from '../store/document.model.js';
import type { VectorStore } from '../store/vectorStore.js';
import { passageOf } from './passage.js';

export interface IndexerOptions {
  /** How often PENDING documents are looked for. @default 500 */
  pollMs?: number;
  /** Documents taken per round. @default 20 */
  batch?: number;
}

/**
 * Brings what Chroma and the chunks collection hold in line with the documents, which are
 * the source of truth. A PENDING version is chunked, its chunks and vectors written under
 * ids of that version (writing them again replaces them), and only then marked INDEXED, if
 * it is still the current version; older versions' chunks and vectors go after. A crash or
 * a Chroma outage anywhere in between leaves the document PENDING, and the next round does
 * it again; search answers only from chunks of a document's current, INDEXED version, so
 * nothing half-written or replaced is ever returned.
 */
export class KnowledgeIndexer {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;
  private stopped = false;

  constructor(
    private readonly documents: DocumentModel,
    private readonly chunks: ChunkModel,
    private readonly deletions: DeletionModel,
    private readonly vectors: VectorStore,
    private readonly locks: KeyedLock,
    private readonly logger: Logger,
    private readonly options: IndexerOptions = {},
  ) {}

  start(): void {
    this.schedule();
  }

  /** One round now (after a write, so search catches up at once); the round's count of documents indexed. */
  kick(): Promise<number> {
    this.running ??= this.round().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  async dispose(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /**
   * Deletes documents: a tombstone first, then the records; their chunks and vectors go in
   * the next round (at once, here), and again in every round until they are gone.
   */
  async remove(docs: readonly Pick<KnowledgeDocumentDoc, 'id' | 'workspaceId' | 'ownerId'>[]): Promise<void> {
    if (docs.length === 0) return;
    const ids = docs.map((doc) => doc.id as string);
    await this.deletions.bulkWrite(
      docs.map((doc) => ({
        updateOne: {
          filter: { _id: doc.id as string },
          update: { $set: { scope: scopeOf(doc), at: new Date() } },
          upsert: true,
        },
      })),
    );
    await this.documents.deleteMany({ _id: { $in: ids } });
    void this.kick().catch(() => undefined);
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      void this.kick()
        .catch((error: unknown) => this.logger.warn({ err: error }, 'knowledge indexing round failed'))
        .finally(() => this.schedule());
    }, this.options.pollMs ?? 500);
    this.timer.unref();
  }

  private async round(): Promise<number> {
    await this.sweepDeletions();
    const pending = await this.documents
      .find({ indexStatus: KnowledgeIndexStatus.PENDING })
      .sort({ updatedAt: 1 })
      .limit(this.options.batch ?? 20);
    let indexed = 0;
    for (const doc of pending) {
      if (this.stopped) break;
      try {
        if (await this.index(doc)) indexed += 1;
      } catch (error) {
        // Chroma or the database is away: the document stays PENDING for the next round.
        this.logger.warn({ err: error, documentId: doc.id as string }, 'could not index a knowledge document');
      }
    }
    return indexed;
  }

  /** Chunks and vectors of deleted documents, then their tombstones. */
  private async sweepDeletions(): Promise<void> {
    const deleted = await this.deletions
      .find({})
      .sort({ at: 1 })
      .limit(this.options.batch ?? 20)
      .lean();
    for (const { _id: documentId, scope } of deleted) {
      try {
        await this.vectors.removeDocument(scope, documentId);
        await this.chunks.deleteMany({ documentId });
        await this.deletions.deleteOne({ _id: documentId });
      } catch (error) {
        this.logger.warn({ err: error, documentId }, 'could not remove a deleted knowledge document’s chunks');
      }
    }
  }

  private async index(doc: KnowledgeDocumentDoc): Promise<boolean> {
    const documentId = doc.id as string;
    const { version } = doc;
    const scope = scopeOf(doc);
    const pieces = chunkText(doc.text || toDocumentText(doc.content, doc.format));
    const passages = pieces.map((chunk) => passageOf(doc.title, chunk));
    const embeddings = embedOffline(passages);
    const records: ChunkRecord[] = pieces.map((chunk, i) => {
      const { termFreqs, length } = termFrequencies(passages[i] ?? '');
      return {
        _id: chunkId(documentId, version, chunk.index),
        documentId,
        version,
        scope,
        index: chunk.index,
        text: chunk.text,
        headingPath: chunk.headingPath,
        start: chunk.start,
        end: chunk.end,
        tokens: chunk.tokens,
        tags: doc.tags,
        terms: [...termFreqs.keys()],
        counts: [...termFreqs.values()],
        length,
      };
    });
    if (records.length > 0) {
      await this.chunks.bulkWrite(
        records.map((record) => ({ replaceOne: { filter: { _id: record._id }, replacement: record, upsert: true } })),
      );
    }
    await this.vectors.upsert(
      scope,
      records.map((record, i) => ({ id: record._id, embedding: embeddings[i] ?? [], documentId, version })),
    );
    // Under the document's lock: an update at the same moment makes this version stale, not INDEXED.
    const marked = await this.locks.run(documentId, () =>
      this.documents.updateOne(
        { _id: doc._id, version, indexStatus: KnowledgeIndexStatus.PENDING },
        { $set: { indexStatus: KnowledgeIndexStatus.INDEXED, indexError: null, chunkCount: records.length } },
      ),
    );
    await this.chunks.deleteMany({ documentId, version: { $lt: version } });
    await this.vectors.removeDocument(scope, documentId, version);
    return marked.modifiedCount > 0;
  }
}
