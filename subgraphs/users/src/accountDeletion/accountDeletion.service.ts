import { badUserInput } from '#internal/errors';
import { checkFirst } from '#internal/pagination';
import type { UserModel } from '../user/user.model.js';
import {
  deliveryId,
  type AccountDeletionDeliveryModel,
  type AccountDeletionDeliveryRecord,
  type AccountDeletionModel,
} from './accountDeletion.model.js';

/** The domains that keep content per user: each consumes every account deletion once. */
export const ACCOUNT_DELETION_CONSUMERS = ['flows', 'knowledge', 'cognition', 'billing'] as const;

/** What a consumer is told: an account is gone. One deletion per account, so the account's id is the event's. */
export interface AccountDeletionEventData {
  id: string;
  userId: string;
  requestedAt: Date;
}

export interface AccountDeletionPageData {
  events: AccountDeletionEventData[];
  /** Where the next page starts: past every delivery read, served or not. */
  endCursor: string | null;
  hasNextPage: boolean;
}

export interface AccountDeletionStores {
  deletions: AccountDeletionModel;
  deliveries: AccountDeletionDeliveryModel;
  users: UserModel;
}

/** Account ids are ObjectIds; anything else names no account. */
const ACCOUNT_ID = /^[a-f0-9]{24}$/;

interface Cursor {
  at: number;
  id: string;
}

const encodeCursor = (row: AccountDeletionDeliveryRecord): string =>
  Buffer.from(JSON.stringify({ at: row.requestedAt.getTime(), id: row._id })).toString('base64url');

function decodeCursor(text: string): Cursor {
  try {
    const { at, id } = JSON.parse(Buffer.from(text, 'base64url').toString()) as Partial<Cursor>;
    if (typeof at === 'number' && Number.isFinite(at) && typeof id === 'string') return { at, id };
  } catch {
    // Falls through to the error below.
  }
  throw badUserInput('after is not a cursor of this feed.', 'after');
}

/**
 * The durable account-deletion event, as an outbox in this domain's own database (there is
 * no broker in the embedded default, and no domain reads another's database).
 *
 * `deleteAccount` calls `record` before it deletes the user: the account's deletion record
 * and one delivery per consumer are written first, so a crash at any later point leaves
 * every consumer's event in place. Deliveries are served only once the user is really
 * gone, so a crash before that (or a deletion refused half-way) never makes another domain
 * delete the content of a user who still exists; `deleteAccount` called again writes the
 * same records again and completes. A consumer acknowledges what it has processed, and
 * only then is its delivery deleted.
 */
export class AccountDeletions {
  constructor(
    private readonly stores: AccountDeletionStores,
    /** The services that keep content per user and consume the event. */
    readonly consumers: readonly string[],
    private readonly now: () => number = Date.now,
  ) {}

  /** Before the user is deleted: the deletion record and every consumer's delivery (idempotent). */
  async record(userId: string): Promise<void> {
    const requestedAt = new Date(this.now());
    await this.stores.deletions.updateOne({ _id: userId }, { $set: { requestedAt } }, { upsert: true });
    await this.stores.deliveries.bulkWrite(
      this.consumers.map((consumer) => ({
        updateOne: {
          filter: { _id: deliveryId(consumer, userId) },
          update: { $set: { consumer, userId, requestedAt } },
          upsert: true,
        },
      })),
      { ordered: false },
    );
  }

  /**
   * The consumer's unacknowledged events, oldest first, `first` deliveries at a time (at
   * most 100). A delivery whose user still exists (a deletion cut short) is not served but
   * is paged past, so it never holds up the ones behind it.
   */
  async pending(
    consumer: string,
    first: number | null | undefined,
    after: string | null | undefined,
  ): Promise<AccountDeletionPageData> {
    const size = checkFirst(first);
    const conditions: Record<string, unknown>[] = [{ consumer }];
    if (after) {
      const cursor = decodeCursor(after);
      const at = new Date(cursor.at);
      conditions.push({ $or: [{ requestedAt: { $gt: at } }, { requestedAt: at, _id: { $gt: cursor.id } }] });
    }
    const rows = await this.stores.deliveries
      .find({ $and: conditions })
      .sort({ requestedAt: 1, _id: 1 })
      .limit(size + 1)
      .lean();
    const page = rows.slice(0, size);
    const gone = await this.gone(page.map((row) => row.userId));
    return {
      events: page
        .filter((_row, index) => gone[index])
        .map((row) => ({ id: row.userId, userId: row.userId, requestedAt: row.requestedAt })),
      endCursor: page.length > 0 ? encodeCursor(page[page.length - 1] as AccountDeletionDeliveryRecord) : null,
      hasNextPage: rows.length > size,
    };
  }

  /**
   * The consumer is done with event `id`: its delivery goes. False when there was nothing
   * to acknowledge (acknowledged before, or never served because the user still exists).
   */
  async acknowledge(consumer: string, id: string): Promise<boolean> {
    if (!(await this.gone([id]))[0]) return false;
    const { deletedCount } = await this.stores.deliveries.deleteOne({ _id: deliveryId(consumer, id) });
    return deletedCount > 0;
  }

  /** Whether each of `ids` is a deleted account's (for `User` references: one lookup by `_id` each). */
  async wereDeleted(ids: readonly string[]): Promise<boolean[]> {
    return Promise.all(
      ids.map(async (id) => ACCOUNT_ID.test(id) && (await this.stores.deletions.exists({ _id: id })) !== null),
    );
  }

  /** Whether each user is gone, one lookup by `_id` each (the embedded engine reads nothing else for them). */
  private gone(userIds: readonly string[]): Promise<boolean[]> {
    return Promise.all(
      userIds.map(async (id) => ACCOUNT_ID.test(id) && (await this.stores.users.exists({ _id: id })) === null),
    );
  }
}
