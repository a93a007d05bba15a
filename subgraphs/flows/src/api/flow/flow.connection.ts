import { Field, ObjectType } from 'type-graphql';
import { PageInfo } from '#internal/pagination';
import { Flow } from './flow.type.js';

@ObjectType()
export class FlowConnectionEdge {
  @Field(() => Flow)
  node!: Flow;

  @Field(() => String)
  cursor!: string;
}

@ObjectType()
export class FlowConnection {
  @Field(() => [FlowConnectionEdge])
  edges!: FlowConnectionEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;
}
