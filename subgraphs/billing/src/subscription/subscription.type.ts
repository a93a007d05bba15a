import { Field, ID, ObjectType } from 'type-graphql';
import { Plan } from '../plan/plan.type.js';

@ObjectType()
export class BillingSubscription {
  @Field(() => ID)
  id!: string;

  @Field(() => Plan)
  plan!: Plan;

  @Field(() => String, { description: "Stripe's status: active, trialing, past_due, canceled, …" })
  status!: string;

  @Field(() => Date, { nullable: true })
  currentPeriodEnd?: Date | null;
}
