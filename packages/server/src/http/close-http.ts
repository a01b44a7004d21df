/**
 * Stopping the HTTP side: no new connections, requests in flight finish, then every
 * connection goes.
 *
 * Fastify ends idle keep-alive connections once, when its close starts. A response still
 * being sent at that moment (a file streamed from disk whose last read has not come back)
 * keeps its connection, and once that response ends the connection is an idle keep-alive
 * one that nobody ends — the close then waits for HTTP_KEEP_ALIVE_TIMEOUT_MS (72 s). So
 * while the close runs, connections that have become idle are ended every
 * IDLE_SWEEP_MS, and after `graceMs` every connection still open is cut.
 */
import type { FastifyInstance } from 'fastify';

const IDLE_SWEEP_MS = 100;

export async function closeHttp(app: FastifyInstance, graceMs: number): Promise<void> {
  const sweep = setInterval(() => app.server.closeIdleConnections(), IDLE_SWEEP_MS);
  const cut = setTimeout(() => app.server.closeAllConnections(), graceMs);
  try {
    await app.close();
  } finally {
    clearInterval(sweep);
    clearTimeout(cut);
  }
}
