import { Arg, Ctx, Directive, ID, Int, Query, Resolver } from 'type-graphql';
import { badUserInput } from '#internal/errors';
import type { KnowledgeContext } from '../../context.js';
import { cleanTags } from '../../domain/documentFields.js';
import { SearchMode } from '../../indexing/search.js';
import { scopeOf } from '../../store/chunk.model.js';
import { requireIdentity } from '../document/document.access.js';
import { toKnowledgeDocument } from '../document/document.mapper.js';
import { KnowledgeHit, KnowledgeRetrieval } from './search.type.js';

const MAX_QUERY_LENGTH = 1_000;
const K = { default: 10, max: 50 } as const;
const MAX_TAGS = 20;
const BUDGET = { default: 2_000, max: 16_000 } as const;
/** Chunks considered for a retrieval, best first, before the budget is applied. */
const RETRIEVAL_DEPTH = 50;

function checkQuery(query: string, field: string): string {
  const text = query.trim();
  if (text.length === 0 || text.length > MAX_QUERY_LENGTH) {
    throw badUserInput(`The ${field} must have 1 to ${MAX_QUERY_LENGTH} characters.`, field);
  }
  return text;
}

/** The scopes the caller may read: a workspace they are not in is searched as an empty one. */
async function scopesOf(context: KnowledgeContext, workspaceId: string | null | undefined): Promise<string[]> {
  const identity = requireIdentity(context);
  const memberships = await context.memberships.of(identity);
  if (workspaceId) return memberships.has(workspaceId) ? [scopeOf({ workspaceId, ownerId: identity.userId })] : [];
  return [scopeOf({ workspaceId: null, ownerId: identity.userId }), ...[...memberships.keys()].map((id) => `w:${id}`)];
}

@Resolver()
export class SearchResolver {
  @Directive('@authenticated')
  @Query(() => [KnowledgeHit], {
    description:
      "The chunks of the caller's knowledge (personal and their workspaces', or one workspace's) that best answer " +
      '`query`, best first; at most one hit per chunk. Only indexed, current versions are searched.',
  })
  async searchKnowledge(
    @Arg('query', () => String, { description: '1 to 1000 characters.' }) query: string,
    @Arg('k', () => Int, { nullable: true, description: '1 to 50; 10 unless given.' }) k: number | null | undefined,
    @Arg('workspaceId', () => ID, { nullable: true, description: 'Only this workspace’s documents.' })
    workspaceId: string | null | undefined,
    @Arg('tags', () => [String], { nullable: true, description: 'Only documents with every one of these tags.' })
    tags: string[] | null | undefined,
    @Arg('mode', () => SearchMode, { nullable: true, description: 'HYBRID unless given.' })
    mode: SearchMode | null | undefined,
    @Arg('distinctDocuments', () => Boolean, { nullable: true, description: 'At most one hit per document.' })
    distinctDocuments: boolean | null | undefined,
    @Ctx() context: KnowledgeContext,
  ): Promise<KnowledgeHit[]> {
    const text = checkQuery(query, 'query');
    const size = k ?? K.default;
    if (!Number.isInteger(size) || size < 1 || size > K.max)
      throw badUserInput(`k must be between 1 and ${K.max}.`, 'k');
    if ((tags?.length ?? 0) > MAX_TAGS) throw badUserInput(`Give at most ${MAX_TAGS} tags.`, 'tags');
    const scopes = await scopesOf(context, workspaceId);
    const hits = await context.search.search({
      query: text,
      scopes,
      k: size,
      mode: mode ?? SearchMode.HYBRID,
      tags: cleanTags(tags ?? []),
      distinctDocuments: distinctDocuments === true,
    });
    return hits.map((hit) => ({
      document: toKnowledgeDocument(hit.document),
      score: hit.score,
      chunk: {
        text: hit.chunk.text,
        headingPath: hit.chunk.headingPath,
        start: hit.chunk.start,
        end: hit.chunk.end,
        version: hit.chunk.version,
      },
      highlights: hit.highlights,
    }));
  }

  @Directive('@authenticated')
  @Query(() => KnowledgeRetrieval, {
    description:
      "For the AI: the caller's chunks that best ground `prompt` (HYBRID), best first, as many as fit in " +
      '`tokenBudget`, each with its document id and version to cite. Never more than the caller may read.',
  })
  async retrieveKnowledge(
    @Arg('prompt', () => String, { description: '1 to 1000 characters.' }) prompt: string,
    @Arg('tokenBudget', () => Int, { nullable: true, description: '1 to 16000; 2000 unless given.' })
    tokenBudget: number | null | undefined,
    @Arg('workspaceId', () => ID, { nullable: true, description: 'Only this workspace’s documents.' })
    workspaceId: string | null | undefined,
    @Ctx() context: KnowledgeContext,
  ): Promise<KnowledgeRetrieval> {
    const text = checkQuery(prompt, 'prompt');
    const budget = tokenBudget ?? BUDGET.default;
    if (!Number.isInteger(budget) || budget < 1 || budget > BUDGET.max) {
      throw badUserInput(`tokenBudget must be between 1 and ${BUDGET.max}.`, 'tokenBudget');
    }
    const hits = await context.search.search({
      query: text,
      scopes: await scopesOf(context, workspaceId),
      k: RETRIEVAL_DEPTH,
      mode: SearchMode.HYBRID,
      tags: [],
      distinctDocuments: false,
    });
    const chunks: KnowledgeRetrieval['chunks'] = [];
    let tokens = 0;
    // Best first; a chunk that does not fit is skipped, a smaller one after it may still fit.
    for (const hit of hits) {
      if (tokens + hit.chunk.tokens > budget) continue;
      tokens += hit.chunk.tokens;
      chunks.push({
        documentId: hit.document.id as string,
        documentVersion: hit.chunk.version,
        title: hit.document.title,
        text: hit.chunk.text,
        headingPath: hit.chunk.headingPath,
        start: hit.chunk.start,
        end: hit.chunk.end,
        tokens: hit.chunk.tokens,
        score: hit.score,
      });
    }
    return { chunks, tokens };
  }
}
