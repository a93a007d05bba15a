// `npm start` as a user runs it: a real process, real signals, real data on disk.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { gql, signUp } from '#internal/testkit';
import { freePort } from '../stack/net.js';
import { SUBGRAPHS } from '../stack/subgraphs.js';

const scratch = await mkdtemp(join(tmpdir(), 'ufe-start-'));
afterAll(() => rm(scratch, { recursive: true, force: true }));

interface Started {
  child: ChildProcess;
  output: () => string;
}

/** Runs the start script with free ports; `env` adds to (or replaces) the environment. */
async function start(env: Record<string, string | undefined>): Promise<Started> {
  const ports: Record<string, string> = {};
  for (const { portVar } of SUBGRAPHS) ports[portVar] = String(await freePort());
  const clean = { ...process.env };
  for (const key of ['MONGODB_URI', 'CHROMA_URL', 'REDIS_URL', 'JWT_SECRET']) delete clean[key];
  const child = spawn(process.execPath, ['--import', 'tsx', 'stack/start.ts'], {
    env: { ...clean, LOG_LEVEL: 'warn', TOOLS_DIR: join(process.cwd(), '.tools'), ...ports, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return { child, output: () => output };
}

async function exitOf(started: Started): Promise<number | null> {
  if (started.child.exitCode !== null) return started.child.exitCode;
  const [code] = (await once(started.child, 'exit')) as [number | null];
  return code;
}

async function waitReady(port: number, started: Started): Promise<void> {
  await expect
    .poll(
      async () => {
        if (started.child.exitCode !== null) throw new Error(`start exited:\n${started.output()}`);
        return fetch(`http://127.0.0.1:${port}/ready`).then(
          (r) => r.status,
          () => 0,
        );
      },
      { timeout: 90_000, interval: 250 },
    )
    .toBe(200);
}

/** Processes whose environment names `dataDir`: everything this start launched. */
async function processesUsing(dataDir: string): Promise<string[]> {
  const found: string[] = [];
  for (const pid of (await readdir('/proc')).filter((entry) => /^\d+$/.test(entry))) {
    const environ = await readFile(`/proc/${pid}/environ`, 'utf8').catch(() => '');
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    if (environ.includes(`DATA_DIR=${dataDir}`) || cmdline.includes(dataDir)) found.push(`${pid} ${cmdline}`);
  }
  return found;
}

describe('npm start', () => {
  it('keeps users and flows across a restart, and Ctrl-C leaves nothing running', async () => {
    const dataDir = join(scratch, 'data');
    const port = await freePort();
    const first = await start({ DATA_DIR: dataDir, PORT: String(port) });
    await waitReady(port, first);
    const url = `http://127.0.0.1:${port}/graphql`;
    const user = await signUp(url, 'Persistent');
    const created = await gql(url, `mutation { createFlow(input: { name: "Kept" }) { id } }`, {}, user.token);
    const flowId = created.data?.['createFlow'].id as string;
    expect(await processesUsing(dataDir)).not.toEqual([]);

    first.child.kill('SIGINT');
    expect(await exitOf(first)).toBe(0);
    expect(await processesUsing(dataDir)).toEqual([]);

    const second = await start({ DATA_DIR: dataDir, PORT: String(port) });
    await waitReady(port, second);
    // Same data, and the same signing key: the token issued before the restart still works.
    const flow = await gql(
      url,
      `query ($id: ID!) { flow(id: $id) { name owner { name } } }`,
      { id: flowId },
      user.token,
    );
    expect(flow.data).toEqual({ flow: { name: 'Kept', owner: { name: 'Persistent' } } });
    const login = await gql(url, `mutation ($i: LogInInput!) { logIn(input: $i) { user { id } } }`, {
      i: { email: user.email, password: 'correct horse battery' },
    });
    expect(login.data?.['logIn'].user.id).toBe(user.id);
    second.child.kill('SIGTERM');
    expect(await exitOf(second)).toBe(0);
    expect(await processesUsing(dataDir)).toEqual([]);
  }, 240_000);

  it('leaves nothing behind when the launcher itself is killed', async () => {
    const dataDir = join(scratch, 'killed');
    const port = await freePort();
    const first = await start({ DATA_DIR: dataDir, PORT: String(port) });
    await waitReady(port, first);
    first.child.kill('SIGKILL');
    await exitOf(first);
    // The Node services notice at once (their IPC channel closes) and stop themselves…
    await expect
      .poll(async () => (await processesUsing(dataDir)).filter((line) => line.includes('tsx')), { timeout: 15_000 })
      .toEqual([]);
    // …and the next start stops the engine and Chroma the killed launcher left running.
    const second = await start({ DATA_DIR: dataDir, PORT: String(port) });
    await waitReady(port, second);
    expect(second.output()).toContain('an earlier start left running on this DATA_DIR');
    second.child.kill('SIGINT');
    expect(await exitOf(second)).toBe(0);
    expect(await processesUsing(dataDir)).toEqual([]);
  }, 240_000);

  it('stops with one clear line when the port is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const address = blocker.address();
    const taken = typeof address === 'object' && address ? address.port : 0;
    const started = await start({ DATA_DIR: join(scratch, 'taken'), PORT: String(taken) });
    expect(await exitOf(started)).toBe(1);
    blocker.close();
    expect(started.output()).toContain(`port ${taken} is already in use; stop the program using it or set PORT`);
    expect(started.output()).not.toMatch(/^\s+at /m);
  });

  it('stops with one clear line when DATA_DIR cannot be written', async () => {
    // A regular file where a folder must be: fails for root too, unlike permissions.
    const blocker = join(scratch, 'a-file');
    await writeFile(blocker, '');
    const started = await start({ DATA_DIR: join(blocker, 'data'), PORT: String(await freePort()) });
    expect(await exitOf(started)).toBe(1);
    expect(started.output()).toContain(`DATA_DIR ${join(blocker, 'data')} cannot be created or written`);
    expect(started.output()).not.toMatch(/^\s+at /m);
  });

  it('explains what to do when the engine must be built and Go is missing', async () => {
    const started = await start({
      DATA_DIR: join(scratch, 'nogo'),
      PORT: String(await freePort()),
      TOOLS_DIR: join(scratch, 'empty-tools'),
      PATH: '/usr/bin:/bin',
    });
    expect(await exitOf(started)).toBe(1);
    expect(started.output()).toContain('built with Go, which is not installed');
    expect(started.output()).toContain('set MONGODB_URI');
    expect(started.output()).not.toMatch(/^\s+at /m);
    expect(await processesUsing(join(scratch, 'nogo'))).toEqual([]);
  });
});
