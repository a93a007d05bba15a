import { Arg, Ctx, Directive, ID, Mutation, Query, Resolver } from 'type-graphql';
import { badUserInput, unauthenticated } from '#internal/errors';
import type { KnowledgeContext } from '../context.js';
import { visibleDocumentsFilter } from './document.access.js';
import type { KnowledgeDocumentDoc } from './document.model.js';
import { AddKnowledgeInput, KnowledgeDocument } from './document.type.js';

const MAX_CONTENT_BYTES = 1024 * 1024;

export const toKnowledgeDocument = (doc: KnowledgeDocumentDoc): KnowledgeDocument => ({
  id: doc.id as string,
  title: doc.title,
  createdAt: doc.createdAt,
  workspace: doc.workspaceId ? { id: doc.workspaceId } : null,
});

@Resolver(() => KnowledgeDocument)
export class DocumentResolver {
  @Directive('@authenticated')
  @Query(() => [KnowledgeDocument], {
    description: "The knowledge documents the caller can see (personal and their workspaces'), newest first (100).",
  })
  async knowledgeDocuments(
    @Arg('workspaceId', () => ID, { nullable: true, description: 'Only this workspace’s documents.' })
    workspaceId: string | null | undefined,
    @Ctx() context: KnowledgeContext,
  ): Promise<KnowledgeDocument[]> {
    if (!context.identity) throw unauthenticated();
    const visible = await visibleDocumentsFilter(context, context.identity);
    const filter = workspaceId ? { $and: [visible, { workspaceId }] } : visible;
    const docs = await context.documents.find(filter).sort({ _id: -1 }).limit(100);
    return docs.map(toKnowledgeDocument);
  }

  @Directive('@authenticated')
  @Mutation(() => KnowledgeDocument, {
    description: 'Adds a document to the personal knowledge base, or to a workspace’s (needs EDITOR there).',
  })
  async addKnowledge(
    @Arg('input', () => AddKnowledgeInput) input: AddKnowledgeInput,
    @Ctx() context: KnowledgeContext,
  ): Promise<KnowledgeDocument> {
    if (!context.identity) throw unauthenticated();
    const title = input.title.trim();
    if (title.length === 0 || title.length > 200)
      throw badUserInput('The title must have 1 to 200 characters.', 'title');
    if (input.content.trim().length === 0) throw badUserInput('The content is empty.', 'content');
    if (Buffer.byteLength(input.content) > MAX_CONTENT_BYTES) {
      throw badUserInput('The content is larger than 1 MB.', 'content');
    }
    // The role in `workspaceId` is checked by the shield rule before this runs.
    const doc = await context.documents.create({
      ownerId: context.identity.userId,
      workspaceId: input.workspaceId ?? null,
      title,
      content: input.content,
    });
    return toKnowledgeDocument(doc);
  }
}
