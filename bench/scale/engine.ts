// How many commands the engine has run, when it says (serverStatus), to count them per request.
import type mongoose from 'mongoose';

/** Commands the engine has run so far, or null when it does not report them. */
export async function engineCommands(client: mongoose.mongo.MongoClient | undefined): Promise<number | null> {
  if (!client) return null;
  try {
    const status = await client.db('admin').command({ serverStatus: 1 });
    const counters = status['opcounters'] as Record<string, number> | undefined;
    if (!counters) return null;
    return Object.values(counters).reduce((sum, value) => sum + (typeof value === 'number' ? value : 0), 0);
  } catch {
    return null;
  }
}
