/**
 * The child side of a server under test: reports its port once listening, answers
 * memory questions after a full GC (the parent starts it with --expose-gc), records a
 * V8 CPU profile of exactly the window the parent asks for, and stops cleanly on
 * request (a clean exit is also what lets --cpu-prof write its file).
 */
import fs from 'node:fs';
import { Session } from 'node:inspector';

export interface RunningServer {
  port: number;
  stop(): Promise<void>;
}

export type ParentMessage =
  | { type: 'gc'; requestId: number }
  | { type: 'profile-start'; requestId: number }
  | { type: 'profile-stop'; requestId: number; file: string }
  | { type: 'stop' };

export type ChildMessage =
  | { type: 'ready'; port: number }
  | { type: 'memory'; requestId: number; rss: number; heapUsed: number; external: number }
  | { type: 'done'; requestId: number; error: string | null }
  | { type: 'failed'; message: string };

function tell(message: ChildMessage): void {
  process.send?.(message);
}

const post = (session: Session, method: string, params: object = {}) =>
  new Promise<unknown>((resolve, reject) => session.post(method, params, (error, result) => (error ? reject(error) : resolve(result))));

/** CPU profiling through the inspector, so a profile covers one measurement, not the setup. */
function createProfiler() {
  let session: Session | null = null;
  return {
    async start() {
      session?.disconnect();
      session = new Session();
      session.connect();
      await post(session, 'Profiler.enable');
      await post(session, 'Profiler.setSamplingInterval', { interval: 200 });
      await post(session, 'Profiler.start');
    },
    async stop(file: string) {
      if (!session) throw new Error('not profiling');
      const { profile } = (await post(session, 'Profiler.stop')) as { profile: unknown };
      session.disconnect();
      session = null;
      fs.writeFileSync(file, JSON.stringify(profile));
    },
  };
}

export function serveChild(start: () => Promise<RunningServer>): void {
  const profiler = createProfiler();
  const answer = (requestId: number, work: Promise<void>) =>
    work.then(
      () => tell({ type: 'done', requestId, error: null }),
      (error: unknown) => tell({ type: 'done', requestId, error: String(error) }),
    );
  start().then(
    (server) => {
      process.on('message', (message: ParentMessage) => {
        if (message.type === 'gc') {
          // Twice, a moment apart: V8 hands freed pages back to the OS lazily.
          const gc = (globalThis as { gc?: () => void }).gc;
          gc?.();
          setTimeout(() => {
            gc?.();
            const usage = process.memoryUsage();
            tell({ type: 'memory', requestId: message.requestId, rss: usage.rss, heapUsed: usage.heapUsed, external: usage.external });
          }, 250);
        } else if (message.type === 'profile-start') {
          answer(message.requestId, profiler.start());
        } else if (message.type === 'profile-stop') {
          answer(message.requestId, profiler.stop(message.file));
        } else if (message.type === 'stop') {
          server.stop().finally(() => process.exit(0));
        }
      });
      // The parent going away must not leave a server running.
      process.on('disconnect', () => process.exit(0));
      tell({ type: 'ready', port: server.port });
    },
    (error: unknown) => {
      tell({ type: 'failed', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
      process.exit(1);
    },
  );
}

/** The port a listening server got (they all listen on port 0). */
export function portOf(address: string | { port: number } | null): number {
  if (address && typeof address === 'object') return address.port;
  throw new Error('server is not listening on a TCP port');
}
