import { Directive, Field, ID, ObjectType } from 'type-graphql';

@ObjectType({ description: 'A person with an account.' })
@Directive('@key(fields: "id")')
export class User {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { description: 'Readable only by the user itself.' })
  email!: string;

  @Field(() => String)
  name!: string;
}
