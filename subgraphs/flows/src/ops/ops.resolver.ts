import {
  Arg,
  Ctx,
  Directive,
  ID,
  Mutation,
  Resolver,
  Root,
  Subscription,
  type SubscribeResolverData,
} from 'type-graphql';
import { badUserInput, conflict, notFound } from '../../../../internal/errors/index.js';
import { ACCESS_LOST, checkEach, onClose } from '../../../../internal/pubsub/index.js';
import type { FlowsContext } from '../context.js';
import { findVisibleFlow, requireIdentity } from '../flow/flow.access.js';
import { toFlow } from '../flow/flow.mapper.js';
import { applyOps } from './applyOps.js';
import { flowChannel, toFlowEvent, type FlowEventPayload } from './flowEvent.js';
import { FlowOpInput } from './ops.input.js';
import { FlowEvent, FlowOpsResult } from './ops.type.js';

/** Optimistic writes retry this often under contention before answering CONFLICT. */
const MAX_ATTEMPTS = 50;

@Resolver()
export class OpsResolver {
  @Directive('@authenticated')
  @Mutation(() => FlowOpsResult, {
    description: 'Applies ops in order, all or nothing, and broadcasts them on flowEvents.',
  })
  async applyFlowOps(
    @Arg('flowId', () => ID) flowId: string,
    @Arg('ops', () => [FlowOpInput]) ops: FlowOpInput[],
    @Arg('clientId', () => String, { nullable: true }) clientId: string | null | undefined,
    @Ctx() context: FlowsContext,
  ): Promise<FlowOpsResult> {
    const { userId } = requireIdentity(context);
    if (clientId != null && clientId.length > 128)
      throw badUserInput('clientId has at most 128 characters.', 'clientId');
    return context.writes.run(flowId, async () => {
      for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
        const flow = await findVisibleFlow(context, flowId);
        if (!flow) throw notFound('There is no flow with this id.');
        const { nodes, edges } = flow.toObject(); // plain records, not mongoose subdocuments
        const next = applyOps({ nodes, edges }, ops);
        const version = flow.version + 1;
        // Compare-and-set on the version: a writer on another instance makes this match nothing.
        const saved = await context.flows.findOneAndUpdate(
          { _id: flow._id, version: flow.version },
          { $set: { nodes: next.nodes, edges: next.edges, version } },
          { returnDocument: 'after' },
        );
        if (!saved) continue;
        const payload: FlowEventPayload = {
          flowId,
          version,
          ops: next.applied,
          clientId: clientId ?? null,
          authorId: userId,
        };
        await context.pubsub.publish(flowChannel(flowId), payload);
        return { flow: toFlow(saved), version };
      }
      throw conflict('The flow is changing too fast; try again.');
    });
  }

  @Directive('@authenticated')
  @Subscription(() => FlowEvent, {
    description: 'Every accepted change of a flow, in version order.',
    subscribe: async ({ args, context }: SubscribeResolverData<unknown, { flowId: string }, FlowsContext>) => {
      requireIdentity(context);
      if (!(await findVisibleFlow(context, args.flowId))) throw notFound('There is no flow with this id.');
      context.subscribers.inc();
      const events = onClose(context.pubsub.subscribe<FlowEventPayload>(flowChannel(args.flowId)), () =>
        context.subscribers.dec(),
      );
      // Access can end while subscribed (removed from the workspace, flow moved): checked per event.
      return checkEach(events, async () => (await findVisibleFlow(context, args.flowId)) !== null);
    },
  })
  flowEvents(
    @Root() payload: FlowEventPayload | typeof ACCESS_LOST,
    @Arg('flowId', () => ID) _flowId: string,
  ): FlowEvent {
    if (payload === ACCESS_LOST) throw notFound('There is no flow with this id any more (or you lost access to it).');
    return toFlowEvent(payload);
  }
}
