import { isValidObjectId } from 'mongoose';
import type { Identity } from '#internal/auth';
import { forbidden, notFound, unauthenticated } from '#internal/errors';
import { hasRole } from '#internal/workspaces';
import type { KnowledgeContext } from '../../context.js';
import type { KnowledgeDocumentDoc } from '../../store/document.model.js';

export function requireIdentity(context: KnowledgeContext): Identity {
  if (!context.identity) throw unauthenticated();
  return context.identity;
}

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

/**
 * The document if the caller may change it: their own personal one, or one of a workspace
 * where they are EDITOR or above. NOT_FOUND when they cannot see it, FORBIDDEN when they
 * only read it.
 */
export async function findWritableDocument(context: KnowledgeContext, id: string): Promise<KnowledgeDocumentDoc> {
  const identity = requireIdentity(context);
  const doc = await findVisibleDocument(context, id);
  if (!doc) throw notFound('There is no knowledge document with this id.');
  if (doc.workspaceId && !hasRole(await context.memberships.roleIn(identity, doc.workspaceId), 'EDITOR')) {
    throw forbidden("Changing this workspace's knowledge needs the EDITOR role.");
  }
  return doc;
}
