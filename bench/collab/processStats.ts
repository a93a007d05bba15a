// CPU seconds and resident memory of the processes a phase runs on, from /proc (Linux).
import { cpuSeconds, rssMiB } from '../proc.js';

export interface Watched {
  name: string;
  pid: number | undefined;
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
