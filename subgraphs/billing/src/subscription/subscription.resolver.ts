import { Ctx, Directive, Query, Resolver } from 'type-graphql';
import { unauthenticated } from '#internal/errors';
import type { BillingContext } from '../context.js';
import { findPlan } from '../plan/plan.catalog.js';
import { BillingSubscription } from './subscription.type.js';

@Resolver(() => BillingSubscription)
export class SubscriptionResolver {
  @Directive('@authenticated')
  @Query(() => BillingSubscription, { nullable: true, description: "The caller's subscription; null when none." })
  async mySubscription(@Ctx() context: BillingContext): Promise<BillingSubscription | null> {
    if (!context.identity) throw unauthenticated();
    const record = await context.subscriptions.findOne({ userId: context.identity.userId });
    const plan = record ? findPlan(record.planId) : undefined;
    if (!record || !plan) return null;
    return { id: record.id as string, plan, status: record.status, currentPeriodEnd: record.currentPeriodEnd };
  }
}
