import { RecentlyRead } from '#internal/recentlyRead';
import { KnowledgeIndexStatus } from '../domain/indexStatus.js';
import { bm25 } from '../domain/keywordScore.js';
import { dedupeBy, fuseRankings, type Scored } from '../domain/fusion.js';
import { highlights, type TextRange } from '../domain/highlights.js';
import { embedOffline } from '../domain/offlineEmbedding.js';
import { terms } from '../domain/terms.js';
import type { ChunkModel, ChunkRecord } from '../store/chunk.model.js';
import type { DocumentModel, KnowledgeDocumentDoc } from '../store/document.model.js';
import type { VectorStore } from '../store/vectorStore.js';

export enum SearchMode {
  HYBRID = 'HYBRID',
  VECTOR = 'VECTOR',
  KEYWORD = 'KEYWORD',
}

export interface SearchRequest {
  query: string;
  /** The scopes the caller may read and asked for (`scopeOf`). */
  scopes: readonly string[];
  k: number;
  mode: SearchMode;
  /** Only chunks of documents with every one of these tags. */
  tags: readonly string[];
  /** At most one hit per document. */
  distinctDocuments: boolean;
}

export interface SearchHit {
  document: KnowledgeDocumentDoc;
  chunk: ChunkRecord;
  score: number;
  highlights: TextRange[];
}

/** How deep each side ranks before fusion. */
const DEPTH = 50;
/** The most chunks the keyword side scores for one query. */
const MAX_CANDIDATES = 5_000;

/**
 * Hybrid retrieval: the nearest chunks by vector (Chroma) and the best by BM25 (our own, over
 * the chunks' terms), fused by reciprocal rank. Every hit is checked against its document:
 * it must exist, be INDEXED and be at the chunk's version, so a replaced or deleted version
 * is never returned whatever Chroma still holds.
 */
export class KnowledgeSearch {
  /**
   * Chunks per scope, BM25's collection size: counted at most once a minute per scope, not
   * per query (counting reads every entry of the scope's index). IDF barely moves meanwhile.
   */
  private readonly chunkCounts: RecentlyRead<number>;

  constructor(
    private readonly documents: DocumentModel,
    private readonly chunks: ChunkModel,
    private readonly vectors: VectorStore,
  ) {
    this.chunkCounts = new RecentlyRead(
      async (scopes) =>
        new Map(
          await Promise.all(scopes.map(async (scope) => [scope, await this.chunks.countDocuments({ scope })] as const)),
        ),
      { ttlMs: 60_000, maxSize: 10_000 },
    );
  }

  async search(request: SearchRequest): Promise<SearchHit[]> {
    const queryTerms = [...new Set(terms(request.query))];
    if (request.scopes.length === 0) return [];
    const rankings: Scored[][] = [];
    if (request.mode === SearchMode.VECTOR) rankings.push(await this.byVector(request));
    if (request.mode === SearchMode.HYBRID) {
      // Chroma away: HYBRID answers from the keyword side alone rather than not at all.
      rankings.push(await this.byVector(request).catch(() => []));
    }
    if (request.mode !== SearchMode.VECTOR) rankings.push(await this.byKeyword(request, queryTerms));
    const ranked = rankings.length === 1 ? (rankings[0] ?? []) : fuseRankings(rankings);
    const hits = await this.hydrate(ranked, request, queryTerms);
    const distinct = request.distinctDocuments ? dedupeBy(hits, (hit) => hit.document.id as string) : hits;
    return distinct.slice(0, request.k);
  }

  private async byVector(request: SearchRequest): Promise<Scored[]> {
    const [embedding] = embedOffline([request.query]);
    if (!embedding || embedding.every((value) => value === 0)) return [];
    // Tags and stale versions are filtered after: ask for more than the page needs.
    const hits = await this.vectors.query(request.scopes, embedding, DEPTH);
    return hits.map((hit) => ({ id: hit.id, score: 1 - hit.distance }));
  }

  private async byKeyword(request: SearchRequest, queryTerms: readonly string[]): Promise<Scored[]> {
    if (queryTerms.length === 0) return [];
    const filter: Record<string, unknown> = { scope: { $in: [...request.scopes] }, terms: { $in: [...queryTerms] } };
    if (request.tags.length > 0) filter['$and'] = request.tags.map((tag) => ({ tags: tag }));
    const [candidates, counts] = await Promise.all([
      this.chunks.find(filter, { terms: 1, counts: 1, length: 1 }).limit(MAX_CANDIDATES).lean(),
      this.chunkCounts.load(request.scopes),
    ]);
    const documentCount = counts.reduce<number>((sum, count) => sum + (count ?? 0), 0);
    const frequency = new Map<string, number>();
    const docs = candidates.map((chunk) => {
      const termFreqs = new Map(chunk.terms.map((term, i) => [term, chunk.counts[i] ?? 0] as const));
      for (const term of queryTerms) if (termFreqs.has(term)) frequency.set(term, (frequency.get(term) ?? 0) + 1);
      return { id: chunk._id, termFreqs, length: chunk.length };
    });
    const averageLength = docs.reduce((sum, doc) => sum + doc.length, 0) / Math.max(docs.length, 1);
    return bm25(queryTerms, docs, {
      documentCount: Math.max(documentCount, docs.length),
      averageLength,
      documentFrequency: (term) => frequency.get(term) ?? 0,
    }).slice(0, DEPTH);
  }

  private async hydrate(ranked: Scored[], request: SearchRequest, queryTerms: readonly string[]): Promise<SearchHit[]> {
    if (ranked.length === 0) return [];
    const chunkFilter: Record<string, unknown> = { _id: { $in: ranked.map((hit) => hit.id) } };
    const chunks = new Map((await this.chunks.find(chunkFilter).lean()).map((chunk) => [chunk._id, chunk] as const));
    const documentIds = [...new Set([...chunks.values()].map((chunk) => chunk.documentId))];
    const documents = new Map(
      (await this.documents.find({ _id: { $in: documentIds } })).map((doc) => [doc.id as string, doc] as const),
    );
    const hits: SearchHit[] = [];
    for (const { id, score } of ranked) {
      const chunk = chunks.get(id);
      const document = chunk ? documents.get(chunk.documentId) : undefined;
      if (!chunk || !document) continue;
      // The scopes were checked by the caller; the document's own scope is checked again here.
      if (!request.scopes.includes(chunk.scope)) continue;
      if (document.version !== chunk.version || document.indexStatus !== KnowledgeIndexStatus.INDEXED) continue;
      if (!request.tags.every((tag) => document.tags.includes(tag))) continue;
      hits.push({ document, chunk, score, highlights: highlights(chunk.text, queryTerms) });
    }
    return hits;
  }
}
