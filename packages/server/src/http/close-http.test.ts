/**
 * Stopping HTTP: a response still streaming when the close starts finishes, and its
 * keep-alive connection then goes at once — the close does not wait out the keep-alive
 * timeout (in full-suite runs it did: 72 s after an emoji picture was the last download) —
 * and a response that never ends is cut after the grace.
 */
import { Readable } from 'node:stream';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { closeHttp } from './close-http.js';

const KEEP_ALIVE_MS = 30_000;

/** A route whose body is one chunk now and the rest when `finish` is called (or never). */
async function streamingServer() {
  const app = Fastify({ keepAliveTimeout: KEEP_ALIVE_MS, forceCloseConnections: 'idle' });
  let finish: () => void = () => undefined;
  app.get('/slow', async (_request, reply) => {
    const body = new Readable({ read() {} });
    body.push('first part;');
    finish = () => {
      body.push('last part');
      body.push(null);
    };
    return reply.header('content-type', 'text/plain').send(body);
  });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return { app, url, finish: () => finish() };
}

let open: FastifyInstance | undefined;
afterEach(async () => {
  open?.server.closeAllConnections();
  await open?.close();
  open = undefined;
});

describe('closing HTTP', () => {
  it('lets a response in flight finish, then ends its keep-alive connection without waiting for the keep-alive timeout', async () => {
    const server = await streamingServer();
    open = server.app;
    const response = await fetch(`${server.url}/slow`);
    const reader = response.body?.getReader();
    expect(new TextDecoder().decode((await reader?.read())?.value)).toBe('first part;');

    const startedAt = Date.now();
    const closed = closeHttp(server.app, 20_000);
    // The response was in flight when the close began; it still arrives whole.
    setTimeout(server.finish, 200);
    let rest = '';
    for (let chunk = await reader?.read(); chunk && !chunk.done; chunk = await reader?.read())
      rest += new TextDecoder().decode(chunk.value);
    expect(rest).toBe('last part');
    await closed;
    // Without the sweep the now idle connection holds the close for KEEP_ALIVE_MS.
    expect(Date.now() - startedAt).toBeLessThan(KEEP_ALIVE_MS / 3);
  });

  it('cuts a response that is still going after the grace', async () => {
    const server = await streamingServer();
    open = server.app;
    const response = await fetch(`${server.url}/slow`);
    const reader = response.body?.getReader();
    await reader?.read();
    const startedAt = Date.now();
    await closeHttp(server.app, 300);
    expect(Date.now() - startedAt).toBeLessThan(KEEP_ALIVE_MS / 3);
    await expect(reader?.read()).rejects.toThrow();
  });
});
