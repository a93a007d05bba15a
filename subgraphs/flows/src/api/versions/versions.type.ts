import { Field, ID, Int, ObjectType } from 'type-graphql';
import { PageInfo } from '#internal/pagination';
import { FlowEdge, FlowNode } from '../flow/flow.type.js';
import { FlowOp } from '../ops/ops.type.js';
import { User } from '../user/user.type.js';

@ObjectType({ description: 'One accepted change of a flow: the ops it applied, by whom, when.' })
export class FlowVersion {
  @Field(() => Int)
  version!: number;

  @Field(() => Date)
  at!: Date;

  @Field(() => User)
  author!: User;

  @Field(() => String, { nullable: true })
  clientId!: string | null;

  @Field(() => [FlowOp])
  ops!: FlowOp[];
}

@ObjectType()
export class FlowVersionEdge {
  @Field(() => FlowVersion)
  node!: FlowVersion;

  @Field(() => String)
  cursor!: string;
}

@ObjectType()
export class FlowVersionConnection {
  @Field(() => [FlowVersionEdge])
  edges!: FlowVersionEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;
}

@ObjectType({ description: 'A version someone gave a name; kept for good, whatever the history keeps.' })
export class FlowNamedVersion {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  name!: string;

  @Field(() => Int)
  version!: number;

  @Field(() => User)
  author!: User;

  @Field(() => Date)
  at!: Date;
}

@ObjectType()
export class FlowNodeChange {
  @Field(() => FlowNode)
  before!: FlowNode;

  @Field(() => FlowNode)
  after!: FlowNode;

  @Field(() => [String], { description: 'Which of type, label, x, y, size, data differ.' })
  fields!: string[];
}

@ObjectType()
export class FlowEdgeChange {
  @Field(() => FlowEdge)
  before!: FlowEdge;

  @Field(() => FlowEdge)
  after!: FlowEdge;

  @Field(() => [String], { description: 'Which of source, target, label, condition differ.' })
  fields!: string[];
}

@ObjectType({ description: 'What changed from one version of a flow to another.' })
export class FlowDiff {
  @Field(() => Int)
  from!: number;

  @Field(() => Int)
  to!: number;

  @Field(() => [FlowNode])
  addedNodes!: FlowNode[];

  @Field(() => [FlowNode])
  removedNodes!: FlowNode[];

  @Field(() => [FlowNodeChange])
  changedNodes!: FlowNodeChange[];

  @Field(() => [FlowEdge])
  addedEdges!: FlowEdge[];

  @Field(() => [FlowEdge])
  removedEdges!: FlowEdge[];

  @Field(() => [FlowEdgeChange])
  changedEdges!: FlowEdgeChange[];
}
