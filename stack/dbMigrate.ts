// `npm run db:migrate`: moves DATA_DIR's data from the SQLite engine to the embedded PostgreSQL one.
import { resolve } from 'node:path';
import { say, StackError } from './log.js';
import { migrateLegacyData } from './migrate.js';
import { defaultDirs } from './stack.js';

const { dataDir, toolsDir } = defaultDirs(process.env);
try {
  const report = await migrateLegacyData(resolve(dataDir), toolsDir);
  if (!report) say(`nothing to migrate: ${resolve(dataDir)} holds no data of the SQLite engine`);
  else {
    for (const [collection, count] of Object.entries(report.copied)) say(`  ${collection}: ${count} documents`);
    say(`migrated; the SQLite data is kept at ${report.keptAt} (remove it once you are satisfied)`);
  }
} catch (error) {
  process.stderr.write(`\nCannot migrate: ${error instanceof StackError ? error.message : String(error)}\n`);
  process.exit(1);
}
