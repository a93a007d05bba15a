import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** A reference to a user; the users subgraph resolves its fields. */
@ObjectType()
@Directive('@key(fields: "id", resolvable: false)')
export class User {
  @Field(() => ID)
  id!: string;
}
