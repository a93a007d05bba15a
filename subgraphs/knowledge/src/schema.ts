import type { GraphQLSchema } from 'graphql';
import { isValidObjectId } from 'mongoose';
import { applyRules, buildFederatedSchema } from '../../../internal/subgraph/index.js';
import type { KnowledgeContext } from './context.js';
import { DocumentResolver, toKnowledgeDocument } from './document/document.resolver.js';
import { documentRules } from './document/document.rules.js';
import type { KnowledgeDocument } from './document/document.type.js';

const documentReference = {
  __resolveReference: async (ref: { id: string }, context: KnowledgeContext): Promise<KnowledgeDocument | null> => {
    if (!context.identity || !isValidObjectId(ref.id)) return null;
    const doc = await context.documents.findOne({ _id: ref.id, ownerId: context.identity.userId });
    return doc ? toKnowledgeDocument(doc) : null;
  },
};

export async function buildKnowledgeSchema(): Promise<GraphQLSchema> {
  const schema = await buildFederatedSchema(
    { resolvers: [DocumentResolver] },
    { KnowledgeDocument: documentReference },
  );
  return applyRules(schema, documentRules);
}
