import { Ctx, Directive, Query, Resolver } from 'type-graphql';
import { unauthenticated } from '../../../../internal/errors/index.js';
import type { KnowledgeContext } from '../context.js';
import type { KnowledgeDocumentDoc } from './document.model.js';
import { KnowledgeDocument } from './document.type.js';

export const toKnowledgeDocument = (doc: KnowledgeDocumentDoc): KnowledgeDocument => ({
  id: doc.id as string,
  title: doc.title,
  createdAt: doc.createdAt,
});

@Resolver(() => KnowledgeDocument)
export class DocumentResolver {
  @Directive('@authenticated')
  @Query(() => [KnowledgeDocument], { description: "The caller's knowledge documents, newest first." })
  async knowledgeDocuments(@Ctx() context: KnowledgeContext): Promise<KnowledgeDocument[]> {
    if (!context.identity) throw unauthenticated();
    const docs = await context.documents.find({ ownerId: context.identity.userId }).sort({ _id: -1 }).limit(100);
    return docs.map(toKnowledgeDocument);
  }
}
