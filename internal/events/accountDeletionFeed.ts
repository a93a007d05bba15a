import type { UsersApi } from '#internal/usersApi';

/** An account was deleted: what the user kept alone in this domain goes. */
export interface AccountDeletionEvent {
  /** The event's id: what is acknowledged and remembered as processed. */
  id: string;
  userId: string;
  requestedAt: Date;
}

export interface AccountDeletionBatch {
  events: AccountDeletionEvent[];
  endCursor: string | null;
  hasNextPage: boolean;
}

const PENDING = /* GraphQL */ `
  query PendingAccountDeletions($first: Int, $after: String) {
    pendingAccountDeletions(first: $first, after: $after) {
      events {
        id
        userId
        requestedAt
      }
      endCursor
      hasNextPage
    }
  }
`;

const ACKNOWLEDGE = /* GraphQL */ `
  mutation AcknowledgeAccountDeletion($id: ID!) {
    acknowledgeAccountDeletion(id: $id)
  }
`;

/**
 * This service's deliveries of the users domain's account-deletion outbox, read and
 * acknowledged on the service's own account: users serves each service only its own.
 */
export class AccountDeletionFeed {
  constructor(
    private readonly users: UsersApi,
    /** Aborts calls in flight when the consumer stops. */
    private readonly signal?: AbortSignal,
  ) {}

  /** One page of unacknowledged deletions, oldest first. */
  async pending(first: number, after: string | null): Promise<AccountDeletionBatch> {
    const data = await this.call<{
      pendingAccountDeletions: Omit<AccountDeletionBatch, 'events'> & {
        events: (Omit<AccountDeletionEvent, 'requestedAt'> & { requestedAt: string })[];
      };
    }>(PENDING, { first, after });
    const page = data.pendingAccountDeletions;
    return { ...page, events: page.events.map((event) => ({ ...event, requestedAt: new Date(event.requestedAt) })) };
  }

  /** False when there was nothing left to acknowledge (done before). */
  async acknowledge(id: string): Promise<boolean> {
    return (await this.call<{ acknowledgeAccountDeletion: boolean }>(ACKNOWLEDGE, { id })).acknowledgeAccountDeletion;
  }

  private call<T>(query: string, variables: Record<string, unknown>): Promise<T> {
    return this.users.query<T>(query, variables, this.signal);
  }
}
