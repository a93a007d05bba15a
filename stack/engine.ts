import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ensureFerretdb, startFerretdb } from './ferretdb.js';
import { StackError } from './log.js';
import { freePort } from './net.js';
import { startPostgres } from './postgres.js';
import type { Supervised } from './processes.js';

/** The SQLite folder of the engine before this one (FerretDB on SQLite). */
export const legacySqliteDir = (dataDir: string): string => join(dataDir, 'ferretdb');

/** True when DATA_DIR holds databases of the SQLite engine that were not migrated. */
export async function hasLegacyData(dataDir: string): Promise<boolean> {
  const files = await readdir(legacySqliteDir(dataDir)).catch(() => []);
  return files.some((file) => file.endsWith('.sqlite'));
}

/**
 * The embedded MongoDB-wire engine: FerretDB (patched, see `ferretdb.ts`) on an embedded
 * PostgreSQL, both on loopback with their data under DATA_DIR. PostgreSQL first, so that it
 * stops last.
 */
export async function startEmbeddedEngine(
  dataDir: string,
  toolsDir: string,
  output: NodeJS.WritableStream | 'ignore',
  /** Start beside data of the SQLite engine (only `db:migrate` does). */
  { besideLegacyData = false } = {},
): Promise<{ processes: Supervised[]; uri: string }> {
  if (!besideLegacyData && (await hasLegacyData(dataDir))) {
    throw new StackError(
      `${legacySqliteDir(dataDir)} holds data of the earlier embedded engine (FerretDB on SQLite), which this version no longer runs: ` +
        'move it to the new engine with `npm run db:migrate` (same DATA_DIR), or set DATA_DIR to another folder',
    );
  }
  const [binary, postgres] = await Promise.all([
    ensureFerretdb(toolsDir),
    freePort().then((port) => startPostgres(dataDir, port, output)),
  ]);
  try {
    const ferret = await startFerretdb(
      binary,
      { postgresqlUrl: postgres.url },
      join(dataDir, 'ferretdb-state'),
      await freePort(),
      output,
    );
    return { processes: [postgres, ferret], uri: ferret.uri };
  } catch (error) {
    await postgres.stop();
    throw error;
  }
}
