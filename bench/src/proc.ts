/**
 * CPU time and memory of processes, read from /proc so a server's cost is measured
 * from outside it (all threads: libuv pool, GC helpers, SQLite work included).
 * Where /proc is missing the readers answer NaN and the report shows "n/a".
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

function clockTicksPerSecond(): number {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
}

const CLK_TCK = clockTicksPerSecond();

/** User + system CPU time of a process so far, in microseconds. */
export function processCpuMicros(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces) start at "state" (field 3).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    return ((utime + stime) * 1e6) / CLK_TCK;
  } catch {
    return Number.NaN;
  }
}

/** Resident set size of a process, in bytes. */
export function processRssBytes(pid: number): number {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
    return match ? Number(match[1]) * 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/** This process's own CPU time (the load generator), in microseconds. */
export function selfCpuMicros(): number {
  const usage = process.cpuUsage();
  return usage.user + usage.system;
}

/** The soft limit on open files of this process, or null when unknown. */
export function openFileLimit(): number | null {
  try {
    const limits = fs.readFileSync('/proc/self/limits', 'utf8');
    const match = /^Max open files\s+(\d+|unlimited)/m.exec(limits);
    if (!match) return null;
    return match[1] === 'unlimited' ? Number.POSITIVE_INFINITY : Number(match[1]);
  } catch {
    return null;
  }
}

/**
 * Time a process's main thread was ready to run but waited for a CPU, in microseconds
 * (/proc/<pid>/schedstat, second field). On a shared machine this is the tell-tale of a
 * number depressed by someone else's work.
 */
export function runQueueWaitMicros(pid: number | 'self'): number {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/schedstat`, 'utf8').trim().split(' ');
    return Number(fields[1]) / 1000;
  } catch {
    return Number.NaN;
  }
}

export interface CpuWindow {
  wallMs: number;
  serverCpuMicros: number;
  generatorCpuMicros: number;
  serverWaitMicros: number;
  generatorWaitMicros: number;
  /** CPU time of the side processes asked for (e.g. Redis), by sample key. */
  sideCpuMicros: Record<string, number>;
}

export interface CpuWindowOptions {
  /** Cores the server processes may run on (1 when pinned); see groupWaitMicros. */
  cores?: number;
  /** Other processes to read over the same window (summed per key), by the sample key their share goes under (e.g. `redisShare`). */
  side?: Record<string, number | readonly number[]>;
}

/**
 * Starts measuring a window over one server process, or over a group of them (the
 * instances of a cluster), whose CPU and run-queue wait are summed; the returned
 * function ends it.
 */
export function startCpuWindow(serverPids: number | readonly number[], options: CpuWindowOptions = {}): () => CpuWindow {
  const pids = typeof serverPids === 'number' ? [serverPids] : serverPids;
  const side = Object.entries(options.side ?? {}).map(([key, group]) => [key, typeof group === 'number' ? [group] : group] as const);
  const sumOf = (group: readonly number[], read: (pid: number) => number) => group.reduce((total, pid) => total + read(pid), 0);
  const sum = (read: (pid: number) => number) => sumOf(pids, read);
  const wall0 = performance.now();
  const server0 = sum(processCpuMicros);
  const generator0 = selfCpuMicros();
  const serverWait0 = sum(runQueueWaitMicros);
  const generatorWait0 = runQueueWaitMicros('self');
  const side0 = side.map(([, group]) => sumOf(group, processCpuMicros));
  return () => {
    const wallMs = performance.now() - wall0;
    const serverCpuMicros = sum(processCpuMicros) - server0;
    const serverWaitMicros = sum(runQueueWaitMicros) - serverWait0;
    return {
      wallMs,
      serverCpuMicros,
      generatorCpuMicros: selfCpuMicros() - generator0,
      serverWaitMicros:
        pids.length === 1 ? serverWaitMicros : groupWaitMicros(serverWaitMicros, serverCpuMicros, wallMs, options.cores ?? 1),
      generatorWaitMicros: runQueueWaitMicros('self') - generatorWait0,
      sideCpuMicros: Object.fromEntries(side.map(([key, group], i) => [key, sumOf(group, processCpuMicros) - (side0[i] ?? 0)])),
    };
  };
}

/**
 * The part of a process group's run-queue wait that other work can have caused. Several
 * instances pinned to one core also wait for each other, which is no sign of a shared
 * machine; but the time the core was *not* running the group (cores × wall − the group's
 * CPU) bounds what anyone else can have taken from it. So: the smaller of the two.
 */
export function groupWaitMicros(waitMicros: number, cpuMicros: number, wallMs: number, cores: number): number {
  return Math.min(waitMicros, Math.max(0, cores * wallMs * 1000 - cpuMicros));
}

/** The CPU figures every sample carries (shares of one core over the window). */
export function windowShares(window: CpuWindow): Record<string, number> {
  return {
    serverShare: coreShare(window.serverCpuMicros, window.wallMs),
    generatorShare: coreShare(window.generatorCpuMicros, window.wallMs),
    serverWaitShare: coreShare(window.serverWaitMicros, window.wallMs),
    generatorWaitShare: coreShare(window.generatorWaitMicros, window.wallMs),
    ...Object.fromEntries(Object.entries(window.sideCpuMicros).map(([key, micros]) => [key, coreShare(micros, window.wallMs)])),
  };
}

/** CPU time as a share of one core over the window (1 = one core busy all the time). */
export const coreShare = (cpuMicros: number, wallMs: number) => cpuMicros / (wallMs * 1000);
