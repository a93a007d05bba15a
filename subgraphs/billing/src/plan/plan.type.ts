import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';

@ObjectType()
@Directive('@key(fields: "id")')
export class Plan {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  name!: string;

  @Field(() => Int, { description: 'Price per interval, in cents (USD).' })
  priceCents!: number;

  @Field(() => String, { description: '`month` or `year`.' })
  interval!: string;
}
