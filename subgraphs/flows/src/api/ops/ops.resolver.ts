import {
  Arg,
  Ctx,
  Directive,
  ID,
  Int,
  Mutation,
  Resolver,
  Root,
  Subscription,
  type SubscribeResolverData,
} from 'type-graphql';
import { AppError, ErrorCode, badUserInput, notFound } from '#internal/errors';
import { ACCESS_LOST, checkEach, onClose } from '#internal/asyncIterators';
import { flowEventStream, LOG_COMPACTED } from '../../collab/flowEventStream.js';
import type { FlowsContext } from '../../context.js';
import { findVisibleFlow, loadVisibleFlow, requireIdentity, stillVisible } from '../flow/flow.access.js';
import { toFlow } from '../flow/flow.mapper.js';
import { flowChannel, type FlowEventPayload } from '../../collab/flowEvent.js';
import { toFlowEvent } from './flowEvent.js';
import { FlowOpInput } from './ops.input.js';
import { FlowEvent, FlowOpsResult } from './ops.type.js';
import { checkClientId } from './clientId.js';

/** Who may follow a flow's events may see the flow. */
const FLOW_EVENTS_GUARD = 'query FlowEventsGuard($flowId: ID!) { flow(id: $flowId) { id } }';

@Resolver()
export class OpsResolver {
  @Directive('@authenticated')
  @Mutation(() => FlowOpsResult, {
    description:
      'Applies ops in order, all or nothing, as one version of the flow; acknowledged once stored, then broadcast on flowEvents.',
  })
  async applyFlowOps(
    @Arg('flowId', () => ID) flowId: string,
    @Arg('ops', () => [FlowOpInput]) ops: FlowOpInput[],
    @Arg('clientId', () => String, { nullable: true }) clientId: string | null | undefined,
    @Ctx() context: FlowsContext,
  ): Promise<FlowOpsResult> {
    const { userId } = requireIdentity(context);
    const meta = { clientId: checkClientId(clientId), authorId: userId };
    // The request's loader: the shield rule has just read the same flow.
    const flow = await loadVisibleFlow(context, flowId);
    if (!flow) throw notFound('There is no flow with this id.');
    const { content, version } = await context.collab.applyOps(flowId, ops, meta);
    return { flow: toFlow(flow, content), version };
  }

  @Directive('@authenticated')
  // Events are the same for everyone who may see the flow: the router subscribes once per
  // flow and selection, and checks each subscriber with this query.
  @Directive(`@fanOut(guard: "${FLOW_EVENTS_GUARD}", unsharedWith: ["sinceVersion"])`)
  @Subscription(() => FlowEvent, {
    description:
      'Every accepted change of a flow, in version order, each once. With `sinceVersion`, the changes after that version are replayed first (no gap, no duplicate); if they are no longer kept, one CONFLICT error says to call flowSync.',
    subscribe: async ({
      args,
      context,
    }: SubscribeResolverData<unknown, { flowId: string; sinceVersion?: number | null }, FlowsContext>) => {
      // The router's fan-out subscription runs the guard below as each of its subscribers.
      if (!context.fanOut) requireIdentity(context);
      const { flowId, sinceVersion } = args;
      if (sinceVersion != null && sinceVersion < 0) throw badUserInput('sinceVersion is 0 or more.', 'sinceVersion');
      const exists = context.fanOut ? await context.flowById.load(flowId) : await findVisibleFlow(context, flowId);
      if (!exists) throw notFound('There is no flow with this id.');
      // Live first, then the starting point: nothing published in between is missed.
      const live = context.pubsub.subscribe<FlowEventPayload>(flowChannel(flowId));
      let after: number;
      try {
        const current = (await context.collab.read(flowId)).version;
        // A version from the future is a client bug (or another flow's): say so instead of waiting.
        if (sinceVersion != null && sinceVersion > current) {
          throw badUserInput(`sinceVersion is ahead of the flow, which is at version ${current}.`, 'sinceVersion');
        }
        after = sinceVersion ?? current;
      } catch (error) {
        await live.return?.();
        throw error;
      }
      context.subscribers.inc();
      const events = onClose(
        flowEventStream(live, (version) => context.collab.eventsAfter(flowId, version), after),
        () => context.subscribers.dec(),
      );
      // Access can end while subscribed (removed from the workspace, flow deleted): checked per
      // event here, or by the router for each of a fan-out subscription's subscribers.
      return context.fanOut ? events : checkEach(events, stillVisible(context, flowId));
    },
  })
  flowEvents(
    @Root() payload: FlowEventPayload | typeof ACCESS_LOST | typeof LOG_COMPACTED,
    @Arg('flowId', () => ID) _flowId: string,
    @Arg('sinceVersion', () => Int, {
      nullable: true,
      description: 'The last version the client has: the changes after it are sent first.',
    })
    _sinceVersion: number | null | undefined,
  ): FlowEvent {
    if (payload === ACCESS_LOST) throw notFound('There is no flow with this id any more (or you lost access to it).');
    if (payload === LOG_COMPACTED) {
      throw new AppError(
        ErrorCode.CONFLICT,
        'The changes after this version are no longer kept: call flowSync, then subscribe from its version.',
        { reason: 'RESYNC' },
      );
    }
    return toFlowEvent(payload);
  }
}
