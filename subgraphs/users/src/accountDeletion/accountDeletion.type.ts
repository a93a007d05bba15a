import { Directive, Field, ID, ObjectType } from 'type-graphql';

@Directive('@inaccessible')
@ObjectType({ description: 'For the services that keep content per user: an account was deleted.' })
export class AccountDeletionEvent {
  @Field(() => ID, { description: 'What to acknowledge, and to remember as processed.' })
  id!: string;

  @Field(() => ID)
  userId!: string;

  @Field(() => Date)
  requestedAt!: Date;
}

@Directive('@inaccessible')
@ObjectType({ description: "A page of the calling service's unacknowledged account deletions, oldest first." })
export class AccountDeletionPage {
  @Field(() => [AccountDeletionEvent])
  events!: AccountDeletionEvent[];

  @Field(() => String, { nullable: true, description: 'Pass as `after` for the next page.' })
  endCursor!: string | null;

  @Field(() => Boolean)
  hasNextPage!: boolean;
}
