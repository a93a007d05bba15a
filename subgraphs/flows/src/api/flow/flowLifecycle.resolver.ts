import { isValidObjectId } from 'mongoose';
import { Arg, Ctx, Directive, ID, Mutation, Resolver } from 'type-graphql';
import { badUserInput, forbidden, notFound } from '#internal/errors';
import { hasRole } from '#internal/workspaces';
import type { FlowsContext } from '../../context.js';
import { EMPTY_CONTENT, opsToReach } from '../../domain/contentDiff.js';
import { findVisibleFlow, requireIdentity, roleOnFlow } from './flow.access.js';
import { createFlow } from './flow.create.js';
import { toFlow } from './flow.mapper.js';
import type { FlowDocument } from '../../store/flow.model.js';
import { Flow } from './flow.type.js';

/**
 * Who may put a flow in the trash or take it out: ADMIN on it (workspace ADMIN or OWNER,
 * the owner of a personal flow, a collaborator with ADMIN), or its creator while still
 * EDITOR. Works on deleted flows too, which `findVisibleFlow` hides.
 */
async function requireManager(context: FlowsContext, id: string): Promise<FlowDocument> {
  const { userId } = requireIdentity(context);
  const flow = isValidObjectId(id) ? await context.flows.findById(id) : null;
  const role = flow && (await roleOnFlow(context, flow, 'ADMIN'));
  if (!flow || !role) throw notFound('There is no flow with this id.');
  if (!hasRole(role, 'ADMIN') && !(flow.ownerId === userId && hasRole(role, 'EDITOR'))) {
    throw forbidden('Deleting or restoring a flow needs the ADMIN role on it, or being its creator.');
  }
  return flow;
}

@Resolver()
export class FlowLifecycleResolver {
  @Directive('@authenticated')
  @Mutation(() => Boolean, {
    description:
      'Moves a flow to the trash: it disappears from lists, reads and edits until restored (`flows(filter: { deleted: true })` lists the trash).',
  })
  async deleteFlow(@Arg('id', () => ID) id: string, @Ctx() context: FlowsContext): Promise<boolean> {
    const flow = await requireManager(context, id);
    if (flow.deletedAt) throw badUserInput('The flow is in the trash already.', 'id');
    await context.collab.exclusive(id, () =>
      context.flows.updateOne({ _id: flow._id }, { $set: { deletedAt: new Date() } }),
    );
    context.recentFlows.forget(id);
    return true;
  }

  @Directive('@authenticated')
  @Mutation(() => Flow, { description: 'Takes a flow out of the trash, as it was.' })
  async restoreFlow(@Arg('id', () => ID) id: string, @Ctx() context: FlowsContext): Promise<Flow> {
    const flow = await requireManager(context, id);
    if (!flow.deletedAt) throw badUserInput('The flow is not in the trash.', 'id');
    await context.collab.exclusive(id, () => context.flows.updateOne({ _id: flow._id }, { $set: { deletedAt: null } }));
    context.recentFlows.forget(id);
    return toFlow(flow, await context.collab.read(id));
  }

  @Directive('@authenticated')
  @Mutation(() => Flow, {
    description:
      'Copies a flow you can see into a new one you own: into `workspaceId` (EDITOR there), else into the same ' +
      'workspace (EDITOR there) or, for a personal flow, as a personal flow.',
  })
  async duplicateFlow(
    @Arg('id', () => ID) id: string,
    @Arg('name', () => String, { nullable: true }) name: string | null | undefined,
    @Arg('workspaceId', () => ID, { nullable: true }) workspaceId: string | null | undefined,
    @Ctx() context: FlowsContext,
  ): Promise<Flow> {
    const identity = requireIdentity(context);
    const source = await findVisibleFlow(context, id);
    if (!source) throw notFound('There is no flow with this id.');
    const target = workspaceId ?? source.workspaceId;
    if (target && !hasRole(await context.memberships.roleIn(identity, target), 'EDITOR')) {
      throw forbidden('Creating flows in that workspace needs the EDITOR role.');
    }
    const content = await context.collab.read(id);
    const fields = { name: name ?? `${source.name} (copy)`, description: source.description, workspaceId: target };
    return createFlow(context, identity.userId, fields, opsToReach(EMPTY_CONTENT, content), 'duplicate');
  }
}
