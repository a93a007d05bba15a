import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { say } from './log.js';

const pidFile = (dataDir: string): string => join(dataDir, 'stack.pids');

/** True while `pid` runs a command line that names `dataDir` (so never a recycled pid). */
async function usesDataDir(pid: number, dataDir: string): Promise<boolean> {
  const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
  return cmdline.includes(dataDir);
}

/**
 * FerretDB and Chroma are not Node processes, so unlike the services they cannot notice
 * that a launcher died without stopping them (SIGKILL, a crashed terminal). Their pids
 * are kept under DATA_DIR, and the next start stops any that still run on this data.
 */
export async function stopLeftovers(dataDir: string): Promise<void> {
  const pids = (await readFile(pidFile(dataDir), 'utf8').catch(() => ''))
    .split('\n')
    .map(Number)
    .filter((pid) => Number.isInteger(pid) && pid > 0);
  const alive = [];
  for (const pid of pids) if (await usesDataDir(pid, dataDir)) alive.push(pid);
  if (alive.length === 0) return;
  say(`stopping ${alive.length} process(es) an earlier start left running on this DATA_DIR`);
  for (const pid of alive) process.kill(pid, 'SIGTERM');
  for (let waited = 0; waited < 5_000; waited += 100) {
    const still = [];
    for (const pid of alive) if (await usesDataDir(pid, dataDir)) still.push(pid);
    if (still.length === 0) return;
    await sleep(100);
  }
  for (const pid of alive) if (await usesDataDir(pid, dataDir)) process.kill(pid, 'SIGKILL');
}

export async function recordBackingPids(dataDir: string, pids: (number | undefined)[]): Promise<void> {
  await writeFile(pidFile(dataDir), pids.filter((pid) => pid !== undefined).join('\n'));
}
