/**
 * Starts a server under test in its own Node process (so its CPU and memory can be read
 * from /proc and it can be pinned to a core) and controls it over the IPC channel.
 * Servers run their TypeScript sources through tsx, with the workspace's
 * `parley-source` condition, so the bench always measures the code in the tree.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pinProcess, unpinProcess } from './machine.js';
import { processCpuMicros, processRssBytes } from './proc.js';
import type { ChildMessage, ParentMessage } from './servers/child.js';

export type ServerKind = 'relay' | 'socketio' | 'parley';

export interface ServerProcess {
  kind: ServerKind;
  pid: number;
  port: number;
  url: string;
  cpuMicros(): number;
  rssBytes(): number;
  /** Runs a full GC in the server, then reads its memory. */
  memoryAfterGc(): Promise<{ rssBytes: number; heapUsedBytes: number }>;
  pin(core: number | null): void;
  unpin(): void;
  stop(): Promise<void>;
}

export interface StartOptions {
  env?: Record<string, string>;
  /** Write a V8 CPU profile of this process into this directory when it stops. */
  cpuProfileDir?: string | null;
  label?: string;
}

const SERVER_FILES: Record<ServerKind, string> = {
  relay: 'servers/relay.ts',
  socketio: 'servers/socketio.ts',
  parley: 'servers/parley.ts',
};

const here = path.dirname(fileURLToPath(import.meta.url));

export async function startServerProcess(kind: ServerKind, options: StartOptions = {}): Promise<ServerProcess> {
  const args = ['--import', 'tsx', '--conditions', 'parley-source', '--expose-gc'];
  if (options.cpuProfileDir) {
    // A directory per process: Node names the files itself, one per thread (the main
    // thread's is the large one; tsx's loader thread writes a small one too).
    const dir = path.join(options.cpuProfileDir, `${options.label ?? kind}-${new Date().toISOString().replace(/[:.]/g, '-')}`);
    fs.mkdirSync(dir, { recursive: true });
    args.push('--cpu-prof', '--cpu-prof-dir', dir);
  }
  args.push(path.join(here, SERVER_FILES[kind]));
  const child = spawn(process.execPath, args, {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, ...options.env },
  });
  const port = await waitForReady(child, kind);
  const pid = child.pid ?? -1;
  let requestId = 0;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  return {
    kind,
    pid,
    port,
    url: `http://127.0.0.1:${port}`,
    cpuMicros: () => processCpuMicros(pid),
    rssBytes: () => processRssBytes(pid),
    memoryAfterGc() {
      const id = ++requestId;
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${kind}: no memory reply`)), 30_000);
        const onMessage = (message: ChildMessage) => {
          if (message.type !== 'memory' || message.requestId !== id) return;
          clearTimeout(timer);
          child.off('message', onMessage);
          // RSS from /proc, as for every other process reading; heap from V8.
          resolve({ rssBytes: processRssBytes(pid), heapUsedBytes: message.heapUsed });
        };
        child.on('message', onMessage);
        send(child, { type: 'gc', requestId: id });
      });
    },
    pin(core) {
      if (core !== null) pinProcess(pid, core);
    },
    unpin() {
      unpinProcess(pid);
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      send(child, { type: 'stop' });
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

function send(child: ChildProcess, message: ParentMessage): void {
  if (child.connected) child.send(message);
}

function waitForReady(child: ChildProcess, kind: ServerKind): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${kind} server did not start within 60 s`));
    }, 60_000);
    child.on('message', (message: ChildMessage) => {
      if (message.type === 'ready') {
        clearTimeout(timer);
        resolve(message.port);
      } else if (message.type === 'failed') {
        clearTimeout(timer);
        reject(new Error(`${kind} server failed to start:\n${message.message}`));
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${kind} server exited before it was ready (code ${code}, signal ${signal})`));
    });
  });
}
