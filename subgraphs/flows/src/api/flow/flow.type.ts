import { GraphQLJSON } from 'graphql-scalars';
import { Directive, Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { User } from '../user/user.type.js';
import { Workspace } from '../workspace/workspace.type.js';

@ObjectType()
export class Position {
  @Field(() => Float)
  x!: number;

  @Field(() => Float)
  y!: number;
}

@ObjectType()
export class Size {
  @Field(() => Float)
  width!: number;

  @Field(() => Float)
  height!: number;
}

@ObjectType({ description: 'A step of a flow: start, screen, action, decision, end, note, or a custom type.' })
export class FlowNode {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  type!: string;

  @Field(() => String)
  label!: string;

  @Field(() => Position)
  position!: Position;

  @Field(() => Size, { description: 'The size given to it, or the default of its type.' })
  size!: Size;

  @Field(() => GraphQLJSON, { nullable: true })
  data?: unknown;
}

@ObjectType({ description: 'A transition between two nodes of a flow.' })
export class FlowEdge {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  source!: string;

  @Field(() => ID)
  target!: string;

  @Field(() => String, { nullable: true })
  label?: string | null;

  @Field(() => String, { nullable: true, description: "A guard in the product's words; shown, never evaluated." })
  condition?: string | null;
}

@ObjectType({ description: 'A UX flow: a graph of nodes and edges, versioned on every change.' })
@Directive('@key(fields: "id")')
export class Flow {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => Int, { description: 'Increments with every accepted change.' })
  version!: number;

  @Field(() => [FlowNode])
  nodes!: FlowNode[];

  @Field(() => [FlowEdge])
  edges!: FlowEdge[];

  @Field(() => User, { description: 'Who created it.' })
  owner!: User;

  @Field(() => Workspace, { nullable: true, description: 'The workspace it belongs to; null for a personal flow.' })
  workspace!: Workspace | null;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date)
  updatedAt!: Date;
}
