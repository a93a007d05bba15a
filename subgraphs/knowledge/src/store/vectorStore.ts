import type { ChromaClient, Collection } from 'chromadb';

export interface VectorHit {
  id: string;
  /** Cosine distance: 0 is the same direction. */
  distance: number;
}

/**
 * Chunk vectors in Chroma, one collection per scope and embedding model: a query can only
 * ever reach the collections of the scopes it names (tenant isolation by construction),
 * vectors of two models are never compared, and a new model is a new collection that can
 * be filled while the old one still answers.
 */
export class VectorStore {
  private readonly collections = new Map<string, Promise<Collection>>();

  constructor(
    private readonly chroma: ChromaClient,
    private readonly model: string,
  ) {}

  /** Chroma names take letters, digits, `.`, `_` and `-`. */
  collectionName(scope: string): string {
    return `kb_${scope.replace(':', '_')}_${this.model}`.replace(/[^a-zA-Z0-9._-]/g, '-');
  }

  async upsert(
    scope: string,
    rows: { id: string; embedding: number[]; documentId: string; version: number }[],
  ): Promise<void> {
    if (rows.length === 0) return;
    const collection = await this.collection(scope);
    await collection.upsert({
      ids: rows.map((row) => row.id),
      embeddings: rows.map((row) => row.embedding),
      metadatas: rows.map((row) => ({ documentId: row.documentId, version: row.version })),
    });
  }

  /** The nearest chunks in each scope's collection, all together, nearest first. */
  async query(scopes: readonly string[], embedding: number[], limit: number): Promise<VectorHit[]> {
    const answers = await Promise.all(
      scopes.map(async (scope) => {
        const collection = await this.collection(scope);
        const result = await collection.query({
          queryEmbeddings: [embedding],
          nResults: limit,
          include: ['distances'],
        });
        const ids = result.ids[0] ?? [];
        const distances = result.distances?.[0] ?? [];
        return ids.map((id, i) => ({ id, distance: distances[i] ?? 1 }));
      }),
    );
    return answers.flat().sort((a, b) => a.distance - b.distance || (a.id < b.id ? -1 : 1));
  }

  /** Every vector of the document in `scope` older than `version` (all of them without one). */
  async removeDocument(scope: string, documentId: string, below?: number): Promise<void> {
    const collection = await this.collection(scope);
    await collection.delete({
      where: below === undefined ? { documentId } : { $and: [{ documentId }, { version: { $lt: below } }] },
    });
  }

  private collection(scope: string): Promise<Collection> {
    const name = this.collectionName(scope);
    let collection = this.collections.get(name);
    if (!collection) {
      collection = this.chroma.getOrCreateCollection({
        name,
        configuration: { hnsw: { space: 'cosine' } },
        metadata: { model: this.model },
        embeddingFunction: null,
      });
      // A failure (Chroma down) is not kept: the next call asks again.
      collection.catch(() => this.collections.delete(name));
      this.collections.set(name, collection);
    }
    return collection;
  }
}
