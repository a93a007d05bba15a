import { Arg, Ctx, Directive, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import { badUserInput } from '../../../../internal/errors/index.js';
import type { FlowsContext } from '../context.js';
import { findVisibleFlow, requireIdentity } from './flow.access.js';
import { checkFirst, decodeCursor, encodeCursor, FlowConnection } from './flow.connection.js';
import { CreateFlowInput } from './flow.input.js';
import { toFlow } from './flow.mapper.js';
import { Flow } from './flow.type.js';

@Resolver(() => Flow)
export class FlowResolver {
  @Query(() => Flow, { nullable: true, description: 'Null if it does not exist or the caller may not see it.' })
  async flow(@Arg('id', () => ID) id: string, @Ctx() context: FlowsContext): Promise<Flow | null> {
    const flow = await findVisibleFlow(context, id);
    return flow ? toFlow(flow) : null;
  }

  @Directive('@authenticated')
  @Query(() => FlowConnection, { description: 'The flows the caller can see, newest first.' })
  async flows(
    @Arg('first', () => Int, { nullable: true }) first: number | null | undefined,
    @Arg('after', () => String, { nullable: true }) after: string | null | undefined,
    @Ctx() context: FlowsContext,
  ): Promise<FlowConnection> {
    const { userId } = requireIdentity(context);
    const size = checkFirst(first);
    const filter = after ? { ownerId: userId, _id: { $lt: decodeCursor(after) } } : { ownerId: userId };
    const page = await context.flows
      .find(filter)
      .sort({ _id: -1 })
      .limit(size + 1);
    const edges = page.slice(0, size).map((doc) => ({ node: toFlow(doc), cursor: encodeCursor(doc.id as string) }));
    return { edges, pageInfo: { hasNextPage: page.length > size, endCursor: edges.at(-1)?.cursor ?? null } };
  }

  @Directive('@authenticated')
  @Mutation(() => Flow)
  async createFlow(
    @Arg('input', () => CreateFlowInput) input: CreateFlowInput,
    @Ctx() context: FlowsContext,
  ): Promise<Flow> {
    const { userId } = requireIdentity(context);
    const name = input.name.trim();
    const description = input.description?.trim() || null;
    if (name.length === 0 || name.length > 200) throw badUserInput('The name must have 1 to 200 characters.', 'name');
    if (description && description.length > 2000) {
      throw badUserInput('The description must have at most 2000 characters.', 'description');
    }
    const flow = await context.flows.create({ name, description, ownerId: userId, version: 0, nodes: [], edges: [] });
    return toFlow(flow);
  }
}
