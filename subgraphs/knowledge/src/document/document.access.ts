import { isValidObjectId } from 'mongoose';
import type { Identity } from '#internal/auth';
import type { KnowledgeContext } from '../context.js';
import type { KnowledgeDocumentDoc } from './document.model.js';

/** The store filter for every document the caller can see: their personal ones and their workspaces'. */
export async function visibleDocumentsFilter(
  context: KnowledgeContext,
  identity: Identity,
): Promise<Record<string, unknown>> {
  const memberships = await context.memberships.of(identity);
  return {
    $or: [{ workspaceId: null, ownerId: identity.userId }, { workspaceId: { $in: [...memberships.keys()] } }],
  };
}

/** The document if the caller may see it, else null (indistinguishable from a missing one). */
export async function findVisibleDocument(context: KnowledgeContext, id: string): Promise<KnowledgeDocumentDoc | null> {
  const { identity } = context;
  if (!identity || !isValidObjectId(id)) return null;
  const doc = await context.documents.findById(id);
  if (!doc) return null;
  if (!doc.workspaceId) return doc.ownerId === identity.userId ? doc : null;
  return (await context.memberships.roleIn(identity, doc.workspaceId)) ? doc : null;
}
