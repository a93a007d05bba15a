import { execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cp, mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { exists } from './exists.js';
import { say, StackError } from './log.js';
import { waitForTcp } from './net.js';
import { supervise, type Supervised } from './processes.js';

const run = promisify(execFile);

export const FERRETDB_MODULE = 'github.com/FerretDB/FerretDB';
export const FERRETDB_VERSION = 'v1.24.2';

/**
 * Our change to FerretDB's PostgreSQL backend: `$and`, `$or` and `$in` are pushed down to
 * SQL (v1.24 pushes only top-level equalities), `_id` equality uses its btree index,
 * indexes are GIN, which serve the `@>` conditions the pushdown writes (btree cannot), and a
 * sort with a limit becomes `ORDER BY … LIMIT` (README: The embedded engine).
 */
const PATCH = join(dirname(fileURLToPath(import.meta.url)), 'ferretdb', 'pushdown.patch');

/** The binary's name carries the patch's hash, so a changed patch is rebuilt. */
export async function ferretdbBinary(toolsDir: string): Promise<string> {
  const hash = createHash('sha256')
    .update(await readFile(PATCH))
    .digest('hex')
    .slice(0, 8);
  return join(toolsDir, `ferretdb-${FERRETDB_VERSION}-${hash}`);
}

/**
 * Builds FerretDB from the Go module proxy into the tools folder, once. `go install
 * …@version` would panic at start (the module lacks the version file its release
 * build generates), and we apply our patch, so we fetch the module and build it ourselves.
 */
export async function ensureFerretdb(toolsDir: string): Promise<string> {
  const binary = await ferretdbBinary(toolsDir);
  if (await exists(binary)) return binary;
  await run('go', ['version']).catch(() => {
    throw new StackError(
      'the embedded MongoDB-compatible engine (FerretDB) is built with Go, which is not installed: install Go 1.22 or newer, or set MONGODB_URI to a MongoDB server',
    );
  });
  say(`installing FerretDB ${FERRETDB_VERSION} (first run only, about 2-3 minutes): downloading the module…`);
  const { stdout } = await run('go', ['mod', 'download', '-json', `${FERRETDB_MODULE}@${FERRETDB_VERSION}`], {
    maxBuffer: 8 * 1024 * 1024,
  }).catch((error: Error) => {
    throw new StackError(`could not download FerretDB from the Go module proxy: ${error.message}`);
  });
  const moduleDir = (JSON.parse(stdout) as { Dir: string }).Dir;
  const work = await mkdtemp(join(tmpdir(), 'ferretdb-src-'));
  try {
    await cp(moduleDir, work, { recursive: true });
    await run('chmod', ['-R', 'u+w', work]); // module cache files are read-only
    await writeFile(join(work, 'build/version/version.txt'), `${FERRETDB_VERSION}\n`);
    await run('git', ['apply', PATCH], { cwd: work }).catch((error: Error & { stderr?: string }) => {
      throw new StackError(`could not apply ${PATCH} to FerretDB: ${error.stderr ?? error.message}`);
    });
    await mkdir(toolsDir, { recursive: true });
    say('compiling FerretDB (progress: packages compiled)…');
    await goBuild(work, `${binary}.partial`);
    await rename(`${binary}.partial`, binary);
    say(`FerretDB installed at ${binary}`);
    return binary;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

function goBuild(dir: string, output: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('go', ['build', '-v', '-buildvcs=false', '-o', output, './cmd/ferretdb'], {
      cwd: dir,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let packages = 0;
    const tail: string[] = [];
    createInterface({ input: child.stderr }).on('line', (line) => {
      tail.push(line);
      if (tail.length > 20) tail.shift();
      packages += 1;
      if (packages % 25 === 0) say(`  … ${packages} packages compiled`);
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code === 0) resolve();
      else reject(new StackError(`building FerretDB failed (go build exit ${code}):\n${tail.join('\n')}`));
    });
  });
}

/** Where FerretDB keeps its data: PostgreSQL, or the SQLite folder of the engine before it. */
export type FerretdbBackend = { postgresqlUrl: string } | { sqliteDir: string };

/** Runs FerretDB on loopback, telemetry off. */
export async function startFerretdb(
  binary: string,
  backend: FerretdbBackend,
  stateDir: string,
  port: number,
  output: NodeJS.WritableStream | 'ignore',
): Promise<Supervised & { uri: string }> {
  await mkdir(stateDir, { recursive: true });
  const handler =
    'postgresqlUrl' in backend
      ? ['--handler=postgresql', `--postgresql-url=${backend.postgresqlUrl}`]
      : ['--handler=sqlite', `--sqlite-url=file:${backend.sqliteDir}/`];
  const proc = supervise(
    'ferretdb',
    binary,
    [
      ...handler,
      `--state-dir=${stateDir}`,
      `--listen-addr=127.0.0.1:${port}`,
      '--telemetry=disable',
      '--debug-addr=-',
      // FerretDB logs every unsupported command (e.g. endSessions) as a warning.
      '--log-level=error',
    ],
    { env: { ...process.env, FERRETDB_TELEMETRY: 'disable' }, output },
  );
  await waitForTcp(port, 20_000, 'FerretDB');
  return { ...proc, uri: `mongodb://127.0.0.1:${port}/` };
}
