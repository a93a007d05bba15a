import { Arg, Ctx, Directive, ID, Int, Query, Resolver } from 'type-graphql';
import { badUserInput } from '#internal/errors';
import type { KnowledgeContext } from '../../context.js';
import { cleanTags } from '../../domain/documentFields.js';
import { SearchMode } from '../../indexing/search.js';
import { scopeOf } from '../../store/chunk.model.js';
import { requireIdentity } from '../document/document.access.js';
import { toKnowledgeDocument } from '../document/document.mapper.js';
import { KnowledgeHit } from './search.type.js';

const MAX_QUERY_LENGTH = 1_000;
const K = { default: 10, max: 50 } as const;
const MAX_TAGS = 20;

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
    const identity = requireIdentity(context);
    const text = query.trim();
    if (text.length === 0 || text.length > MAX_QUERY_LENGTH) {
      throw badUserInput(`The query must have 1 to ${MAX_QUERY_LENGTH} characters.`, 'query');
    }
    const size = k ?? K.default;
    if (!Number.isInteger(size) || size < 1 || size > K.max)
      throw badUserInput(`k must be between 1 and ${K.max}.`, 'k');
    if ((tags?.length ?? 0) > MAX_TAGS) throw badUserInput(`Give at most ${MAX_TAGS} tags.`, 'tags');
    // The scopes the caller may read: a workspace they are not in is searched as an empty one.
    const memberships = await context.memberships.of(identity);
    const scopes = workspaceId
      ? memberships.has(workspaceId)
        ? [scopeOf({ workspaceId, ownerId: identity.userId })]
        : []
      : [scopeOf({ workspaceId: null, ownerId: identity.userId }), ...[...memberships.keys()].map((id) => `w:${id}`)];
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
}
