import { Arg, Ctx, Directive, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import { forbidden } from '#internal/errors';
import type { UsersContext } from '../context.js';
import { AccountDeletionPage } from './accountDeletion.type.js';

/** The service calling on its own account; the rules let only consumers get here. */
function consumerOf(context: UsersContext): string {
  if (!context.service) throw forbidden();
  return context.service;
}

/**
 * The account-deletion feed for the services that keep content per user: `@inaccessible`,
 * so not in the API the router serves, and each consumer sees and acknowledges only its
 * own deliveries (`accountDeletion.rules.ts`).
 */
@Resolver()
export class AccountDeletionResolver {
  @Directive('@inaccessible')
  @Query(() => AccountDeletionPage, {
    description:
      "The calling service's unacknowledged account deletions, oldest first, `first` (at most 100) at a time.",
  })
  pendingAccountDeletions(
    @Arg('first', () => Int, { nullable: true }) first: number | null | undefined,
    @Arg('after', () => String, { nullable: true }) after: string | null | undefined,
    @Ctx() context: UsersContext,
  ): Promise<AccountDeletionPage> {
    return context.accountDeletions.pending(consumerOf(context), first, after);
  }

  @Directive('@inaccessible')
  @Mutation(() => Boolean, {
    description:
      'The calling service has processed this account deletion: it is not served to it again. False when ' +
      'there was nothing to acknowledge (already acknowledged).',
  })
  acknowledgeAccountDeletion(@Arg('id', () => ID) id: string, @Ctx() context: UsersContext): Promise<boolean> {
    return context.accountDeletions.acknowledge(consumerOf(context), id);
  }
}
