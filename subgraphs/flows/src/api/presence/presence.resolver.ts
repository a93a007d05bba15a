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
import { badUserInput, notFound } from '#internal/errors';
import { ACCESS_LOST, checkEach, onClose } from '#internal/asyncIterators';
import type { FlowsContext } from '../../context.js';
import { findVisibleFlow, requireIdentity, stillVisible } from '../flow/flow.access.js';
import { PresenceEvent, PresenceInput } from './presence.type.js';

/** How long a presence counts without a refresh. */
export const PRESENCE_TTL_MS = 30_000;
const COLOR = /^#[0-9a-fA-F]{6}$/;

const presenceChannel = (flowId: string): string => `flow-presence:${flowId}`;

interface PresencePayload extends Omit<PresenceEvent, 'user' | 'expiresAt'> {
  userId: string;
  expiresAt: string;
}

function checkPresence(input: PresenceInput): void {
  if (input.clientId.length === 0 || input.clientId.length > 128) {
    throw badUserInput('clientId must have 1 to 128 characters.', 'clientId');
  }
  if (input.name != null && input.name.length > 80) throw badUserInput('name has at most 80 characters.', 'name');
  if (input.color != null && !COLOR.test(input.color)) throw badUserInput('color must look like #1a2b3c.', 'color');
  if (input.cursor && !(Number.isFinite(input.cursor.x) && Number.isFinite(input.cursor.y))) {
    throw badUserInput('cursor needs finite coordinates.', 'cursor');
  }
  if ((input.selection?.length ?? 0) > 100) throw badUserInput('selection has at most 100 ids.', 'selection');
}

/**
 * Who else is on a flow, where their cursor is and what they selected. Nothing is stored:
 * updates go through the pub/sub bus (Redis across instances) to the flow's subscribers.
 */
@Resolver()
export class PresenceResolver {
  @Directive('@authenticated')
  @Mutation(() => Boolean, {
    description: `Tells the flow's other subscribers where you are; counts for ${PRESENCE_TTL_MS / 1000} s. VIEWER and up.`,
  })
  async updatePresence(
    @Arg('flowId', () => ID) flowId: string,
    @Arg('input', () => PresenceInput) input: PresenceInput,
    @Ctx() context: FlowsContext,
  ): Promise<boolean> {
    const { userId } = requireIdentity(context);
    checkPresence(input);
    const payload: PresencePayload = {
      flowId,
      kind: 'UPDATE',
      clientId: input.clientId,
      userId,
      name: input.name ?? null,
      color: input.color ?? null,
      cursor: input.cursor ? { x: input.cursor.x, y: input.cursor.y } : null,
      selection: input.selection ?? [],
      expiresAt: new Date(Date.now() + PRESENCE_TTL_MS).toISOString(),
    };
    await context.pubsub.publish(presenceChannel(flowId), payload);
    return true;
  }

  @Directive('@authenticated')
  @Subscription(() => PresenceEvent, {
    description:
      "Others' presence on a flow. Pass your own `clientId`: when this subscription ends, the others get LEFT for it.",
    subscribe: async ({
      args,
      context,
    }: SubscribeResolverData<unknown, { flowId: string; clientId: string }, FlowsContext>) => {
      const { userId } = requireIdentity(context);
      if (!(await findVisibleFlow(context, args.flowId))) throw notFound('There is no flow with this id.');
      if (args.clientId.length === 0 || args.clientId.length > 128) {
        throw badUserInput('clientId must have 1 to 128 characters.', 'clientId');
      }
      const channel = presenceChannel(args.flowId);
      const left: PresencePayload = {
        flowId: args.flowId,
        kind: 'LEFT',
        clientId: args.clientId,
        userId,
        name: null,
        color: null,
        cursor: null,
        selection: [],
        expiresAt: new Date().toISOString(),
      };
      const events = onClose(context.pubsub.subscribe<PresencePayload>(channel), () => {
        void context.pubsub.publish(channel, left).catch(() => undefined);
      });
      return checkEach(events, stillVisible(context, args.flowId));
    },
  })
  flowPresence(
    @Root() payload: PresencePayload | typeof ACCESS_LOST,
    @Arg('flowId', () => ID) _flowId: string,
    @Arg('clientId', () => String) _clientId: string,
  ): PresenceEvent {
    if (payload === ACCESS_LOST) throw notFound('There is no flow with this id any more (or you lost access to it).');
    const { userId, expiresAt, ...rest } = payload;
    return { ...rest, user: { id: userId }, expiresAt: new Date(expiresAt) };
  }
}
