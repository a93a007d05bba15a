import type { GraphQLSchema } from 'graphql';
import { applyRules, buildFederatedSchema } from '#internal/subgraph';
import type { KnowledgeContext } from './context.js';
import { findVisibleDocument } from './api/document/document.access.js';
import { toKnowledgeDocument } from './api/document/document.mapper.js';
import { DocumentResolver } from './api/document/document.resolver.js';
import { documentRules } from './api/document/document.rules.js';
import type { KnowledgeDocument } from './api/document/document.type.js';
import { SearchResolver } from './api/search/search.resolver.js';
import { searchRules } from './api/search/search.rules.js';

const documentReference = {
  __resolveReference: async (ref: { id: string }, context: KnowledgeContext): Promise<KnowledgeDocument | null> => {
    const doc = await findVisibleDocument(context, ref.id);
    return doc ? toKnowledgeDocument(doc) : null;
  },
};

export async function buildKnowledgeSchema(): Promise<GraphQLSchema> {
  const schema = await buildFederatedSchema(
    { resolvers: [DocumentResolver, SearchResolver] },
    { KnowledgeDocument: documentReference },
  );
  return applyRules(schema, {
    ...documentRules,
    ...searchRules,
    Query: { ...documentRules.Query, ...searchRules.Query },
  });
}
