import { readdirSync, readFileSync } from 'node:fs';

/**
 * CPU time of local processes from /proc, for the benchmarks that say where a run's CPU went
 * (bench/http.ts, bench/settle.ts). Linux only; elsewhere the figures read 0 or NaN.
 */

/** The pid of the local mariadbd, or null when it does not run on this machine. */
export function mariadbdPid(): number | null {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return null;
  }
  for (const pid of pids) {
    try {
      if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'mariadbd') return Number(pid);
    } catch {
      // a process that ended while we looked
    }
  }
  return null;
}

/** User + system CPU of a process (all threads) in clock ticks (USER_HZ, 100 a second); 0 when it is gone or null. */
export function cpuTicks(pid: number | null): number {
  if (!pid) return 0;
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return Number(f[11]) + Number(f[12]);
  } catch {
    return 0;
  }
}
