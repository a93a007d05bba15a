import { Arg, Ctx, Directive, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import { badUserInput, notFound } from '#internal/errors';
import { checkFirst, encodeCursor, PAGE } from '#internal/pagination';
import type { FlowsContext } from '../../context.js';
import { findVisibleFlow, requireIdentity } from '../flow/flow.access.js';
import { toFlow, toFlowEdge, toFlowNode } from '../flow/flow.mapper.js';
import type { AppliedOp } from '../../domain/applyOps.js';
import { toFlowEvent } from '../ops/flowEvent.js';
import { checkClientId } from '../ops/clientId.js';
import { FlowOpsResult } from '../ops/ops.type.js';
import { diffContent } from '../../domain/contentDiff.js';
import { FlowDiff, FlowNamedVersion, FlowVersionConnection } from './versions.type.js';

// History cursors are versions; the kind keeps one list's cursor off another.
const decodeVersionCursor = (cursor: string): number => {
  const match = /^version:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (!match?.[1]) throw badUserInput('after is not a cursor returned by this API.', 'after');
  return Number(match[1]);
};

async function requireFlow(context: FlowsContext, flowId: string) {
  const flow = await findVisibleFlow(context, flowId);
  if (!flow) throw notFound('There is no flow with this id.');
  return flow;
}

@Resolver()
export class VersionsResolver {
  @Query(() => FlowVersionConnection, {
    description: 'The changes of a flow, newest first (what the log still keeps: at least the last 1000).',
  })
  async flowHistory(
    @Arg('flowId', () => ID) flowId: string,
    @Arg('first', () => Int, { nullable: true }) first: number | null | undefined,
    @Arg('after', () => String, { nullable: true }) after: string | null | undefined,
    @Ctx() context: FlowsContext,
  ): Promise<FlowVersionConnection> {
    await requireFlow(context, flowId);
    const size = checkFirst(first ?? PAGE.default);
    const before = after ? decodeVersionCursor(after) : Number.MAX_SAFE_INTEGER;
    const entries = await context.versions.history(flowId, before, size + 1);
    const edges = entries.slice(0, size).map((entry) => {
      const event = toFlowEvent({
        flowId,
        version: entry.version,
        ops: JSON.parse(entry.ops) as AppliedOp[],
        clientId: entry.clientId,
        authorId: entry.authorId,
        update: '',
      });
      return {
        node: {
          version: entry.version,
          at: entry.at,
          author: event.author ?? { id: entry.authorId },
          clientId: entry.clientId,
          ops: event.ops,
        },
        cursor: encodeCursor('version', String(entry.version)),
      };
    });
    return { edges, pageInfo: { hasNextPage: entries.length > size, endCursor: edges.at(-1)?.cursor ?? null } };
  }

  @Query(() => FlowDiff, { description: 'Nodes and edges added, removed and changed from version `from` to `to`.' })
  async flowDiff(
    @Arg('flowId', () => ID) flowId: string,
    @Arg('from', () => Int) from: number,
    @Arg('to', () => Int) to: number,
    @Ctx() context: FlowsContext,
  ): Promise<FlowDiff> {
    await requireFlow(context, flowId);
    const [before, after] = await Promise.all([
      context.versions.contentAt(flowId, from),
      context.versions.contentAt(flowId, to),
    ]);
    const diff = diffContent(before, after);
    const nodeChange = (c: (typeof diff.changedNodes)[number]) => ({
      before: toFlowNode(c.before),
      after: toFlowNode(c.after),
      fields: c.fields,
    });
    const edgeChange = (c: (typeof diff.changedEdges)[number]) => ({
      before: toFlowEdge(c.before),
      after: toFlowEdge(c.after),
      fields: c.fields,
    });
    return {
      from,
      to,
      addedNodes: diff.addedNodes.map(toFlowNode),
      removedNodes: diff.removedNodes.map(toFlowNode),
      changedNodes: diff.changedNodes.map(nodeChange),
      addedEdges: diff.addedEdges.map(toFlowEdge),
      removedEdges: diff.removedEdges.map(toFlowEdge),
      changedEdges: diff.changedEdges.map(edgeChange),
    };
  }

  @Query(() => [FlowNamedVersion], { description: 'The named versions of a flow, newest first.' })
  async flowNamedVersions(
    @Arg('flowId', () => ID) flowId: string,
    @Ctx() context: FlowsContext,
  ): Promise<FlowNamedVersion[]> {
    await requireFlow(context, flowId);
    const list = await context.versions.namedVersions(flowId);
    return list.map((v) => ({
      id: v.id,
      name: v.name,
      version: v.version,
      author: { id: v.authorId },
      at: v.at,
    }));
  }

  @Directive('@authenticated')
  @Mutation(() => FlowNamedVersion, {
    description: 'Names the current version of a flow, which keeps it for good. EDITOR and up.',
  })
  async nameFlowVersion(
    @Arg('flowId', () => ID) flowId: string,
    @Arg('name', () => String) name: string,
    @Ctx() context: FlowsContext,
  ): Promise<FlowNamedVersion> {
    const { userId } = requireIdentity(context);
    await requireFlow(context, flowId);
    const record = await context.versions.name(flowId, name, userId);
    return { id: record.id, name: record.name, version: record.version, author: { id: userId }, at: record.at };
  }

  @Directive('@authenticated')
  @Mutation(() => FlowOpsResult, {
    description:
      'Brings a flow back to an earlier version by applying the difference as ops: collaborators see it as an edit, ' +
      'and it is a new version itself. EDITOR and up.',
  })
  async restoreFlowVersion(
    @Arg('flowId', () => ID) flowId: string,
    @Arg('version', () => Int) version: number,
    @Arg('clientId', () => String, { nullable: true }) clientId: string | null | undefined,
    @Ctx() context: FlowsContext,
  ): Promise<FlowOpsResult> {
    const { userId } = requireIdentity(context);
    const flow = await requireFlow(context, flowId);
    const content = await context.versions.restore(flowId, version, {
      clientId: checkClientId(clientId),
      authorId: userId,
    });
    return { flow: toFlow(flow, content), version: content.version };
  }
}
