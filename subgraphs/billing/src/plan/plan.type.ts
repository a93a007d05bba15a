import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';
import type { Plan as PlanOnSale } from './plan.catalog.js';

@ObjectType()
@Directive('@key(fields: "id")')
export class Plan implements PlanOnSale {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  name!: string;

  @Field(() => Int, { description: 'Price per interval, in cents (USD).' })
  priceCents!: number;

  @Field(() => String, { description: '`month` or `year`.' })
  interval!: PlanOnSale['interval'];
}
