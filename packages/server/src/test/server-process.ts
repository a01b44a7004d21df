/**
 * Runs the built server (`packages/server/dist/main.js`) as a real child process, for
 * tests about the process itself: start-up, signals, crashes, restarts.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
export const MAIN_JS = path.join(ROOT, 'packages/server/dist/main.js');

/** Compiles protocol, sdk and server (incremental, so cheap when nothing changed). */
export function buildServer(): void {
  execFileSync(path.join(ROOT, 'node_modules/.bin/tsc'), ['-b', 'packages/protocol', 'packages/sdk', 'packages/server'], {
    cwd: ROOT,
    stdio: 'pipe',
  });
}

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  output: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function startServerProcess(env: Record<string, string>): Promise<ServerProcess> {
  const child = spawn(process.execPath, [MAIN_JS], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${output.join('')}`)), 20_000);
    const onData = (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n').filter(Boolean)) {
        output.push(line);
        try {
          const parsed = JSON.parse(line) as { msg?: string; url?: string };
          if (parsed.msg === 'Parley is serving' && parsed.url) {
            clearTimeout(timer);
            resolve({ child, url: parsed.url, output, exited });
          }
        } catch {
          // not a JSON log line (stderr text); kept in output for the failure message
        }
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then(({ code }) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before serving: ${output.join('\n')}`));
    });
  });
}
