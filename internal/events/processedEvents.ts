import type { Connection, mongo } from 'mongoose';
import { isDuplicateKey } from '#internal/db';

interface ProcessedRecord {
  /** `<kind>:<event id>`. */
  _id: string;
  at: Date;
}

/**
 * The events a service has processed, in its own database, by id (unique): an event
 * delivered again (the service stopped between processing it and acknowledging it, or two
 * instances took it at once) is acknowledged without being processed a second time.
 * Records are kept for good: one small document per event, only ever read by `_id`.
 */
export class ProcessedEvents {
  private readonly records: mongo.Collection<ProcessedRecord>;

  constructor(
    db: Connection,
    /** What kind of event, so that kinds never share ids. */
    private readonly kind: string,
  ) {
    if (!db.db) throw new Error('the database is not connected');
    this.records = db.db.collection<ProcessedRecord>('processed_events');
  }

  async has(eventId: string): Promise<boolean> {
    return (await this.records.findOne({ _id: this.key(eventId) }, { projection: { _id: 1 } })) !== null;
  }

  /** Remembers the event as processed; false when it was already (another instance got there first). */
  async add(eventId: string): Promise<boolean> {
    try {
      await this.records.insertOne({ _id: this.key(eventId), at: new Date() });
      return true;
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  }

  private key(eventId: string): string {
    return `${this.kind}:${eventId}`;
  }
}
