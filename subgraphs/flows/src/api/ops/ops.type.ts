import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Flow, FlowEdge, FlowNode } from '../flow/flow.type.js';
import { User } from '../user/user.type.js';
import { FlowOpKind } from '../../domain/ops.js';

@ObjectType({
  description:
    'An applied edit. Adds, updates and moves carry the whole resulting node or edge, so replaying ops in version order reproduces the flow.',
})
export class FlowOp {
  @Field(() => FlowOpKind)
  kind!: FlowOpKind;

  @Field(() => ID, { nullable: true })
  nodeId?: string | null;

  @Field(() => ID, { nullable: true })
  edgeId?: string | null;

  @Field(() => FlowNode, { nullable: true })
  node?: FlowNode | null;

  @Field(() => FlowEdge, { nullable: true })
  edge?: FlowEdge | null;
}

@ObjectType()
export class FlowOpsResult {
  @Field(() => Flow)
  flow!: Flow;

  @Field(() => Int)
  version!: number;
}

@ObjectType({ description: 'Ops accepted on a flow, in the order they were applied.' })
export class FlowEvent {
  @Field(() => ID)
  flowId!: string;

  @Field(() => Int, { description: 'The flow version these ops produced.' })
  version!: number;

  @Field(() => [FlowOp])
  ops!: FlowOp[];

  @Field(() => String, { nullable: true, description: 'The `clientId` given to applyFlowOps.' })
  clientId?: string | null;

  @Field(() => User, { nullable: true })
  author?: User | null;

  @Field(() => String, {
    description: 'The Yjs update of this version (base64), for clients that keep the document itself.',
  })
  update!: string;

  @Field(() => Boolean, {
    description:
      "True when the flow's document was rebuilt from its content at this version (its history had grown far " +
      'past what the content needs): the content is unchanged and `ops` is empty, but clients that keep the ' +
      'document must drop their copy and apply `update` (the whole new document) to a new one.',
  })
  resync!: boolean;
}

@ObjectType({ description: "What a client holding a state vector misses of a flow's Yjs document." })
export class FlowSync {
  @Field(() => String, { description: 'A Yjs update (base64); applying it brings the client to `version`.' })
  update!: string;

  @Field(() => Int, { description: 'Subscribe with `flowEvents(sinceVersion: version)` to continue from here.' })
  version!: number;

  @Field(() => Boolean, {
    description:
      "True when `stateVector` describes a copy from before the flow's document was rebuilt: `update` is then the " +
      'whole new document, to apply to a new copy in place of the old one.',
  })
  resync!: boolean;
}
