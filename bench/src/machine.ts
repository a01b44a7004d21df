/**
 * Where things run: with two or more cores and `taskset`, the server under test is
 * pinned to core 0 and the load generator to core 1, so they never steal each other's
 * time. Otherwise everything shares and the report says so.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openFileLimit } from './proc.js';

export interface Placement {
  pinned: boolean;
  serverCore: number | null;
  generatorCore: number | null;
  description: string;
}

const hasTaskset = () => spawnSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' }).status === 0;

/** Cores of the machine (not of this process's affinity mask, which pinning narrows). */
const machineCores = () => os.cpus().length;

export function planPlacement(wantPinning: boolean): Placement {
  const cores = Math.min(machineCores(), os.availableParallelism());
  if (!wantPinning) return { pinned: false, serverCore: null, generatorCore: null, description: 'unpinned (pinning disabled)' };
  if (cores < 2) return { pinned: false, serverCore: null, generatorCore: null, description: `unpinned: only ${cores} core` };
  if (!hasTaskset()) return { pinned: false, serverCore: null, generatorCore: null, description: 'unpinned: taskset not available' };
  return { pinned: true, serverCore: 0, generatorCore: 1, description: 'server on core 0, load generator on core 1 (taskset)' };
}

/** Pins every thread of a process to one core; false when that did not work. */
export function pinProcess(pid: number, core: number): boolean {
  return spawnSync('taskset', ['-a', '-c', '-p', String(core), String(pid)], { stdio: 'ignore' }).status === 0;
}

/** Lets a process run on every core again (used while a server is being set up). */
export function unpinProcess(pid: number): boolean {
  const all = `0-${machineCores() - 1}`;
  return spawnSync('taskset', ['-a', '-c', '-p', all, String(pid)], { stdio: 'ignore' }).status === 0;
}

/** The code measured: the commit, and whether the server's sources differed from it. */
export function describeCode(): { commit: string; serverDirty: boolean; serverEntry: string | null } {
  const cwd = path.dirname(fileURLToPath(import.meta.url));
  const git = (...args: string[]) => spawnSync('git', args, { encoding: 'utf8', cwd }).stdout?.trim() ?? '';
  return {
    commit: git('rev-parse', '--short', 'HEAD') || 'unknown',
    serverDirty: git('status', '--porcelain', '--', ':/packages/server', ':/packages/protocol').length > 0,
    serverEntry: process.env.PARLEY_BENCH_SERVER ?? null,
  };
}

export interface MachineInfo {
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  node: string;
  os: string;
  openFileLimit: number | null;
  loadAverage: number[];
}

function cpuModel(): string {
  try {
    const info = fs.readFileSync('/proc/cpuinfo', 'utf8');
    const match = /^model name\s*:\s*(.+)$/m.exec(info);
    if (match?.[1]) return match[1].trim();
  } catch {
    // not Linux; fall through
  }
  return os.cpus()[0]?.model ?? 'unknown';
}

export function describeMachine(): MachineInfo {
  return {
    cpuModel: cpuModel(),
    cores: machineCores(),
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    os: `${os.type()} ${os.release()} (${os.arch()})`,
    openFileLimit: openFileLimit(),
    loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100),
  };
}
