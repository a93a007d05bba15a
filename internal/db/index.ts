import mongoose, { type Connection } from 'mongoose';

/**
 * Opens this domain's own database on the shared MongoDB-compatible server. Each
 * domain owns one database; no domain reads another's.
 */
export async function connectDatabase(uri: string, dbName: string): Promise<Connection> {
  const connection = mongoose.createConnection(uri, {
    dbName,
    serverSelectionTimeoutMS: 10_000,
    // FerretDB and MongoDB both accept this; retryable writes need a replica set.
    retryWrites: false,
    autoIndex: true,
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
