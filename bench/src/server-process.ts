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
  /** Starts a V8 CPU profile in the server; `stopProfile` writes it to `file`. */
  startProfile(): Promise<void>;
  stopProfile(file: string): Promise<void>;
  pin(core: number | null): void;
  unpin(): void;
  stop(): Promise<void>;
}

export interface StartOptions {
  env?: Record<string, string>;
}

const SERVER_FILES: Record<ServerKind, string> = {
  relay: 'servers/relay.ts',
  socketio: 'servers/socketio.ts',
  parley: 'servers/parley.ts',
};

const here = path.dirname(fileURLToPath(import.meta.url));

export async function startServerProcess(kind: ServerKind, options: StartOptions = {}): Promise<ServerProcess> {
  const args = ['--import', 'tsx', '--conditions', 'parley-source', '--expose-gc', path.join(here, SERVER_FILES[kind])];
  const child = spawn(process.execPath, args, {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, ...options.env },
  });
  const port = await waitForReady(child, kind);
  const pid = child.pid ?? -1;
  let requestId = 0;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  /** Sends a request and resolves with the child's matching answer. */
  const ask = <T extends ChildMessage>(message: ParentMessage, matches: (reply: ChildMessage) => reply is T): Promise<T> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        child.off('message', onMessage);
        reject(new Error(`${kind}: no reply to ${message.type}`));
      }, 30_000);
      const onMessage = (reply: ChildMessage) => {
        if (!matches(reply)) return;
        clearTimeout(timer);
        child.off('message', onMessage);
        resolve(reply);
      };
      child.on('message', onMessage);
      send(child, message);
    });
  const command = async (message: ParentMessage & { requestId: number }) => {
    const reply = await ask(
      message,
      (r): r is Extract<ChildMessage, { type: 'done' }> => r.type === 'done' && r.requestId === message.requestId,
    );
    if (reply.error) throw new Error(`${kind}: ${message.type} failed: ${reply.error}`);
  };

  return {
    kind,
    pid,
    port,
    url: `http://127.0.0.1:${port}`,
    cpuMicros: () => processCpuMicros(pid),
    rssBytes: () => processRssBytes(pid),
    async memoryAfterGc() {
      const id = ++requestId;
      const reply = await ask(
        { type: 'gc', requestId: id },
        (r): r is Extract<ChildMessage, { type: 'memory' }> => r.type === 'memory' && r.requestId === id,
      );
      // RSS from /proc, as for every other process reading; heap from V8.
      return { rssBytes: processRssBytes(pid), heapUsedBytes: reply.heapUsed };
    },
    startProfile: () => command({ type: 'profile-start', requestId: ++requestId }),
    async stopProfile(file) {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      await command({ type: 'profile-stop', requestId: ++requestId, file });
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
