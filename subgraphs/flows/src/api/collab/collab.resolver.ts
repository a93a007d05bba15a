import { Arg, Ctx, Directive, ID, Mutation, Query, Resolver } from 'type-graphql';
import { badUserInput, notFound } from '#internal/errors';
import type { FlowsContext } from '../../context.js';
import { findVisibleFlow, requireIdentity } from '../flow/flow.access.js';
import { toFlow } from '../flow/flow.mapper.js';
import { checkClientId } from '../ops/clientId.js';
import { FlowOpsResult, FlowSync } from '../ops/ops.type.js';
import { fromBase64, toBase64 } from '../../collab/flowDoc.js';

/** Direct sync of a flow's Yjs document, for rich clients (offline editing, reconnection). */
@Resolver()
export class CollabResolver {
  @Directive('@authenticated')
  @Query(() => FlowSync, {
    description:
      "What the caller's copy of the flow's Yjs document misses: the update from `stateVector` (base64, from Y.encodeStateVector; none for everything) and the version it brings the copy to.",
  })
  async flowSync(
    @Arg('flowId', () => ID) flowId: string,
    @Arg('stateVector', () => String, { nullable: true }) stateVector: string | null | undefined,
    @Ctx() context: FlowsContext,
  ): Promise<FlowSync> {
    requireIdentity(context);
    const vector = stateVector ? fromBase64(stateVector) : null;
    if (stateVector && !vector) throw badUserInput('stateVector is not base64.', 'stateVector');
    if (!(await findVisibleFlow(context, flowId))) throw notFound('There is no flow with this id.');
    const { update, version, resync } = await context.collab.sync(flowId, vector);
    return { update: toBase64(update), version, resync };
  }

  @Directive('@authenticated')
  @Mutation(() => FlowOpsResult, {
    description:
      "Merges a Yjs update (base64, at most 1 MiB) made on a copy of the flow's document; acknowledged once stored, broadcast on flowEvents like applyFlowOps. Edges left without a node are removed in the same version. Invalid content rejects the whole update. An update with nothing new makes no new version.",
  })
  async pushFlowUpdate(
    @Arg('flowId', () => ID) flowId: string,
    @Arg('update', () => String) update: string,
    @Arg('clientId', () => String, { nullable: true }) clientId: string | null | undefined,
    @Ctx() context: FlowsContext,
  ): Promise<FlowOpsResult> {
    const { userId } = requireIdentity(context);
    const meta = { clientId: checkClientId(clientId), authorId: userId };
    if (update.length > Math.ceil((context.collab.maxUpdateBytes * 4) / 3) + 4) {
      throw badUserInput(`update is larger than ${context.collab.maxUpdateBytes} bytes.`, 'update');
    }
    const bytes = fromBase64(update);
    if (!bytes) throw badUserInput('update is not base64.', 'update');
    const flow = await findVisibleFlow(context, flowId);
    if (!flow) throw notFound('There is no flow with this id.');
    const { content, version } = await context.collab.pushUpdate(flowId, bytes, meta);
    return { flow: toFlow(flow, content), version };
  }
}
