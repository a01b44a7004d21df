/**
 * The child side of a server under test: reports its port once listening, answers
 * memory questions after a full GC (the parent starts it with --expose-gc), and
 * stops cleanly on request — a clean exit is what lets --cpu-prof write its profile.
 */

export interface RunningServer {
  port: number;
  stop(): Promise<void>;
}

export type ParentMessage = { type: 'gc'; requestId: number } | { type: 'stop' };

export type ChildMessage =
  | { type: 'ready'; port: number }
  | { type: 'memory'; requestId: number; rss: number; heapUsed: number; external: number }
  | { type: 'failed'; message: string };

function tell(message: ChildMessage): void {
  process.send?.(message);
}

export function serveChild(start: () => Promise<RunningServer>): void {
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
