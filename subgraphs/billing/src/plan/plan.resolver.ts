import { Ctx, Query, Resolver } from 'type-graphql';
import type { BillingContext } from '../context.js';
import { PLANS } from './plan.catalog.js';
import { Plan } from './plan.type.js';

@Resolver(() => Plan)
export class PlanResolver {
  @Query(() => [Plan])
  plans(): Plan[] {
    return [...PLANS];
  }

  @Query(() => String, { description: '`stripe` when payments are live, `offline` when checkout is refused.' })
  billingMode(@Ctx() context: BillingContext): string {
    return context.mode;
  }
}
