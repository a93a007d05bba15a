import mongoose, { type Connection } from 'mongoose';
import { Counter, type Registry } from 'prom-client';

/**
 * Opens this domain's own database on the shared MongoDB-compatible server. Each
 * domain owns one database; no domain reads another's.
 */
export async function connectDatabase(uri: string, dbName: string, registry: Registry): Promise<Connection> {
  const connection = mongoose.createConnection(uri, {
    dbName,
    serverSelectionTimeoutMS: 10_000,
    // FerretDB and MongoDB both accept this; retryable writes need a replica set.
    retryWrites: false,
    autoIndex: true,
    monitorCommands: true,
  });
  // Commands sent, by name: shows N+1 query patterns on /metrics (and lets tests assert batching).
  const commands = new Counter({
    name: 'mongodb_commands_total',
    help: 'Commands sent to MongoDB, by command name.',
    labelNames: ['command'] as const,
    registers: [registry],
  });
  connection.getClient().on('commandStarted', (event: { commandName: string }) => {
    commands.inc({ command: event.commandName });
  });
  await connection.asPromise();
  return connection;
}

/** True when the server answers a ping. */
export async function pingDatabase(connection: Connection): Promise<boolean> {
  try {
    const db = connection.db;
    if (!db) return false;
    await db.command({ ping: 1 });
    return true;
  } catch {
    return false;
  }
}

/** MongoDB's duplicate-key error: how a unique index says "someone else got there first". */
export const isDuplicateKey = (error: unknown): boolean => (error as { code?: unknown } | null)?.code === 11000;
