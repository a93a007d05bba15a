import type { GraphQLSchema } from 'graphql';
import { isValidObjectId } from 'mongoose';
import { buildFederatedSchema } from '../../../internal/subgraph/index.js';
import type { KnowledgeContext } from './context.js';
import { DocumentResolver, toKnowledgeDocument } from './document/document.resolver.js';
import type { KnowledgeDocument } from './document/document.type.js';

const documentReference = {
  __resolveReference: async (ref: { id: string }, context: KnowledgeContext): Promise<KnowledgeDocument | null> => {
    if (!context.identity || !isValidObjectId(ref.id)) return null;
    const doc = await context.documents.findOne({ _id: ref.id, ownerId: context.identity.userId });
    return doc ? toKnowledgeDocument(doc) : null;
  },
};

export function buildKnowledgeSchema(): Promise<GraphQLSchema> {
  return buildFederatedSchema({ resolvers: [DocumentResolver] }, { KnowledgeDocument: documentReference });
}
