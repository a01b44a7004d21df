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
}

/** Starts measuring a window; the returned function ends it. */
export function startCpuWindow(serverPid: number): () => CpuWindow {
  const wall0 = performance.now();
  const server0 = processCpuMicros(serverPid);
  const generator0 = selfCpuMicros();
  const serverWait0 = runQueueWaitMicros(serverPid);
  const generatorWait0 = runQueueWaitMicros('self');
  return () => ({
    wallMs: performance.now() - wall0,
    serverCpuMicros: processCpuMicros(serverPid) - server0,
    generatorCpuMicros: selfCpuMicros() - generator0,
    serverWaitMicros: runQueueWaitMicros(serverPid) - serverWait0,
    generatorWaitMicros: runQueueWaitMicros('self') - generatorWait0,
  });
}

/** The CPU figures every sample carries (shares of one core over the window). */
export function windowShares(window: CpuWindow): Record<string, number> {
  return {
    serverShare: coreShare(window.serverCpuMicros, window.wallMs),
    generatorShare: coreShare(window.generatorCpuMicros, window.wallMs),
    serverWaitShare: coreShare(window.serverWaitMicros, window.wallMs),
    generatorWaitShare: coreShare(window.generatorWaitMicros, window.wallMs),
  };
}

/** CPU time as a share of one core over the window (1 = one core busy all the time). */
export const coreShare = (cpuMicros: number, wallMs: number) => cpuMicros / (wallMs * 1000);
