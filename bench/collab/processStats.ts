// CPU seconds and resident memory of the processes a phase runs on, from /proc (Linux).
import { readFile } from 'node:fs/promises';

export interface Watched {
  name: string;
  pid: number | undefined;
}

const CLOCK_TICKS_PER_SECOND = 100; // USER_HZ: 100 on Linux

/** User + system CPU seconds of a process; NaN if it is gone or unknown. */
async function cpuSeconds(pid: number | undefined): Promise<number> {
  if (pid === undefined) return Number.NaN;
  if (pid === process.pid) {
    const { user, system } = process.cpuUsage();
    return (user + system) / 1e6;
  }
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // After the command's closing parenthesis: state is the first field, utime the 12th, stime the 13th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return Number.NaN;
  }
}

/** VmRSS in MiB; undefined if the process is gone or unknown. */
async function rssMiB(pid: number | undefined): Promise<number | undefined> {
  if (pid === undefined) return undefined;
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const kib = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1];
    return kib === undefined ? undefined : Number(kib) / 1024;
  } catch {
    return undefined;
  }
}

export interface Usage {
  name: string;
  /** CPU seconds used between the two snapshots. */
  cpu: number;
  /** RSS at the end, MiB. */
  rss: number | undefined;
}

/** Call before a phase; the returned function, called after it, gives each process's usage during it. */
export async function measureUsage(watched: readonly Watched[]): Promise<() => Promise<Usage[]>> {
  const before = await Promise.all(watched.map(({ pid }) => cpuSeconds(pid)));
  return async () => {
    const after = await Promise.all(watched.map(({ pid }) => cpuSeconds(pid)));
    const rss = await Promise.all(watched.map(({ pid }) => rssMiB(pid)));
    return watched.map(({ name }, index) => ({
      name,
      cpu: (after[index] ?? Number.NaN) - (before[index] ?? Number.NaN),
      rss: rss[index],
    }));
  };
}
