import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** A reference to a workspace; the users subgraph resolves its fields (null for non-members). */
@ObjectType()
@Directive('@key(fields: "id", resolvable: false)')
export class Workspace {
  @Field(() => ID)
  id!: string;
}
