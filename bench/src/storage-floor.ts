/**
 * Runs the storage floor (servers/storage-floor.ts) in a child process pinned to the
 * server core, the way servers under test run, and returns what it measured.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pinProcess } from './machine.js';
import type { FloorJob, FloorResult } from './servers/storage-floor.js';

const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'servers', 'storage-floor.ts');

export async function measureStorageFloor(job: FloorJob, core: number | null): Promise<FloorResult> {
  const child = spawn(process.execPath, ['--import', 'tsx', '--conditions', 'parley-source', CHILD], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, PARLEY_FLOOR_JOB: JSON.stringify(job) },
  });
  if (core !== null && child.pid) pinProcess(child.pid, core);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => {
        child.kill('SIGKILL');
        reject(new Error('storage floor: no result in time'));
      },
      job.warmupMs + job.durationMs + 60_000,
    );
    child.on('message', (message: { type: string; result?: FloorResult; message?: string }) => {
      clearTimeout(timer);
      if (message.type === 'floor' && message.result) resolve(message.result);
      else reject(new Error(`storage floor failed: ${message.message ?? 'unknown'}`));
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`storage floor exited with ${code} before reporting`));
    });
  });
}
