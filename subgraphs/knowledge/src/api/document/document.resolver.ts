import { Arg, Ctx, Directive, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import { conflict } from '#internal/errors';
import { newestFirstPage } from '#internal/pagination';
import type { KnowledgeContext } from '../../context.js';
import { cleanSource, cleanTags, cleanTitle, titleWords } from '../../domain/documentFields.js';
import { checkContent, checkDocumentText, KnowledgeFormat, toDocumentText } from '../../domain/documentText.js';
import { KnowledgeIndexStatus } from '../../domain/indexStatus.js';
import type { DocumentRecord, KnowledgeDocumentDoc } from '../../store/document.model.js';
import {
  findVisibleDocument,
  findWritableDocument,
  requireIdentity,
  visibleDocumentsFilter,
} from './document.access.js';
import { toKnowledgeDocument } from './document.mapper.js';
import {
  AddKnowledgeInput,
  KnowledgeDocument,
  KnowledgeDocumentConnection,
  KnowledgeFilter,
  UpdateKnowledgeInput,
} from './document.type.js';

/** Content and its text, checked: nothing is stored unless all of it is acceptable. */
function contentFields(content: string, format: KnowledgeFormat): Pick<DocumentRecord, 'content' | 'format' | 'text'> {
  checkContent(content, 'content');
  const text = toDocumentText(content, format, 'content');
  checkDocumentText(text, 'content');
  return { content, format, text };
}

/** A new version waits for indexing; search keeps to indexed versions meanwhile. */
const PENDING_VERSION = { indexStatus: KnowledgeIndexStatus.PENDING, indexError: null, chunkCount: 0 };

const UPDATE_ATTEMPTS = 5;

@Resolver(() => KnowledgeDocument)
export class DocumentResolver {
  @Directive('@authenticated')
  @Query(() => KnowledgeDocument, {
    nullable: true,
    description: 'A knowledge document the caller can see; null for one they cannot (as for one that does not exist).',
  })
  async knowledgeDocument(
    @Arg('id', () => ID) id: string,
    @Ctx() context: KnowledgeContext,
  ): Promise<KnowledgeDocument | null> {
    const doc = await findVisibleDocument(context, id);
    return doc ? toKnowledgeDocument(doc) : null;
  }

  @Directive('@authenticated')
  @Query(() => KnowledgeDocumentConnection, {
    description: "The knowledge documents the caller can see (personal and their workspaces'), newest first.",
  })
  async knowledgeDocuments(
    @Arg('first', () => Int, { nullable: true, description: '1 to 100; 20 unless given.' })
    first: number | null | undefined,
    @Arg('after', () => String, { nullable: true }) after: string | null | undefined,
    @Arg('workspaceId', () => ID, { nullable: true, description: 'Only this workspace’s documents.' })
    workspaceId: string | null | undefined,
    @Arg('filter', () => KnowledgeFilter, { nullable: true }) filter: KnowledgeFilter | null | undefined,
    @Ctx() context: KnowledgeContext,
  ): Promise<KnowledgeDocumentConnection> {
    const identity = requireIdentity(context);
    // A workspace the caller is not in filters to nothing, like one that does not exist.
    const conditions: Record<string, unknown>[] = [await visibleDocumentsFilter(context, identity)];
    if (workspaceId) conditions.push({ workspaceId });
    const tag = filter?.tag?.trim().toLowerCase();
    if (tag) conditions.push({ tags: tag });
    for (const word of titleWords(filter?.titleWords ?? '')) conditions.push({ titleWords: word });
    return newestFirstPage<KnowledgeDocumentDoc, KnowledgeDocument>(
      'knowledge',
      first,
      after,
      (idFilter, limit) =>
        context.documents
          .find({ $and: idFilter ? [...conditions, { _id: idFilter }] : conditions })
          .sort({ _id: -1 })
          .limit(limit),
      toKnowledgeDocument,
    );
  }

  @Directive('@authenticated')
  @Mutation(() => KnowledgeDocument, {
    description: 'Adds a document to the personal knowledge base, or to a workspace’s (needs EDITOR there).',
  })
  async addKnowledge(
    @Arg('input', () => AddKnowledgeInput) input: AddKnowledgeInput,
    @Ctx() context: KnowledgeContext,
  ): Promise<KnowledgeDocument> {
    const identity = requireIdentity(context);
    const title = cleanTitle(input.title);
    const fields = contentFields(input.content, input.format ?? KnowledgeFormat.MARKDOWN);
    const tags = cleanTags(input.tags ?? []);
    const source = cleanSource(input.source);
    // The role in `workspaceId` is checked by the shield rule before this runs.
    const doc = await context.documents.create({
      ownerId: identity.userId,
      workspaceId: input.workspaceId ?? null,
      title,
      titleWords: titleWords(title),
      ...fields,
      source,
      tags,
      version: 1,
      ...PENDING_VERSION,
    });
    void context.indexer.kick().catch(() => undefined);
    return toKnowledgeDocument(doc);
  }

  @Directive('@authenticated')
  @Mutation(() => KnowledgeDocument, {
    description:
      'Changes a document (owner of a personal one, EDITOR of a workspace’s): a new version, indexed again. ' +
      'Nothing changes on bad input.',
  })
  async updateKnowledge(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateKnowledgeInput) input: UpdateKnowledgeInput,
    @Ctx() context: KnowledgeContext,
  ): Promise<KnowledgeDocument> {
    // Fields not given keep their value at the version written on; two updates at once both
    // land, one version after the other: one at a time here, and on another instance the
    // version's compare-and-set makes the loser read again and reapply.
    return context.documentLocks.run(id, () => this.update(id, input, context));
  }

  private async update(id: string, input: UpdateKnowledgeInput, context: KnowledgeContext): Promise<KnowledgeDocument> {
    for (let attempt = 0; attempt < UPDATE_ATTEMPTS; attempt += 1) {
      const doc = await findWritableDocument(context, id);
      const change: Partial<DocumentRecord> = {};
      if (input.title != null) {
        change.title = cleanTitle(input.title);
        change.titleWords = titleWords(change.title);
      }
      if (input.content != null || input.format != null) {
        Object.assign(change, contentFields(input.content ?? doc.content, input.format ?? doc.format));
      }
      if (input.tags != null) change.tags = cleanTags(input.tags);
      if (input.source !== undefined) change.source = cleanSource(input.source);
      const updated = await context.documents.findOneAndUpdate(
        { _id: doc._id, version: doc.version },
        { $set: { ...change, ...PENDING_VERSION }, $inc: { version: 1 } },
        { new: true },
      );
      if (updated) {
        void context.indexer.kick().catch(() => undefined);
        return toKnowledgeDocument(updated);
      }
    }
    throw conflict('The document is changing too fast; try again.');
  }

  @Directive('@authenticated')
  @Mutation(() => ID, {
    description: 'Deletes a document (owner of a personal one, EDITOR of a workspace’s); its id.',
  })
  async deleteKnowledge(@Arg('id', () => ID) id: string, @Ctx() context: KnowledgeContext): Promise<string> {
    return context.documentLocks.run(id, async () => {
      const doc = await findWritableDocument(context, id);
      // Search never answers for a missing document; its chunks and vectors follow.
      await context.indexer.remove([doc]);
      return doc.id as string;
    });
  }
}
