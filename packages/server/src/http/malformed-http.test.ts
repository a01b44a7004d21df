/**
 * Requests Node's HTTP parser refuses before Fastify sees them still answer in the one
 * error shape with a request id. Written over raw sockets, since fetch cannot send them.
 */
import net from 'node:net';
import { ERROR_STATUS, type ErrorCode } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../test/test-server.js';

interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Writes `request` as is and reads until the server closes the connection. */
export function rawRequest(url: string, request: string | Buffer): Promise<RawAnswer> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', reject);
    socket.setTimeout(10_000, () => socket.destroy(new Error('no answer within 10 s')));
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const [head = '', ...rest] = text.split('\r\n\r\n');
      const [statusLine = '', ...headerLines] = head.split('\r\n');
      const headers: Record<string, string> = {};
      for (const line of headerLines) {
        const colon = line.indexOf(':');
        headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
      }
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body: rest.join('\r\n\r\n') });
    });
    socket.write(request);
  });
}

describe('malformed HTTP keeps the error shape', () => {
  let ts: TestServer;
  let host: string;
  beforeAll(async () => {
    ts = await startTestServer('sqlite');
    host = new URL(ts.url).host;
  });
  afterAll(() => ts.close());

  const expectCatalogued = (answer: RawAnswer, code: ErrorCode) => {
    expect(answer.status).toBe(ERROR_STATUS[code]);
    expect(answer.headers['content-type']).toMatch(/^application\/json/);
    expect(answer.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(answer.headers.connection).toBe('close');
    const body = JSON.parse(answer.body) as { error: { code: string; message: string } };
    expect(body.error.code).toBe(code);
    expect(body.error.message).toEqual(expect.any(String));
    expect(Number(answer.headers['content-length'])).toBe(Buffer.byteLength(answer.body));
  };

  it('answers headers over the size limit with headers_too_large (431)', async () => {
    const answer = await rawRequest(ts.url, `GET /api/v1/users/me HTTP/1.1\r\nHost: ${host}\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    expectCatalogued(answer, 'headers_too_large');
  });

  it('answers a request line that is not HTTP with bad_request', async () => {
    expectCatalogued(await rawRequest(ts.url, 'this is not http\r\n\r\n'), 'bad_request');
  });

  it('answers Content-Length together with Transfer-Encoding with bad_request (request smuggling)', async () => {
    const body = '{"login":"a","password":"b"}';
    const answer = await rawRequest(
      ts.url,
      `POST /api/v1/auth/login HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nTransfer-Encoding: chunked\r\n\r\n${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n`,
    );
    expectCatalogued(answer, 'bad_request');
  });

  it('answers a control character in a header with bad_request', async () => {
    const answer = await rawRequest(ts.url, `GET /healthz HTTP/1.1\r\nHost: ${host}\r\nX-Note: a\u0001b\r\n\r\n`);
    expectCatalogued(answer, 'bad_request');
  });

  it('answers a method the parser does not know with bad_request', async () => {
    expectCatalogued(await rawRequest(ts.url, `FROB /healthz HTTP/1.1\r\nHost: ${host}\r\n\r\n`), 'bad_request');
  });

  it('answers a method HTTP knows but no route has in the catalogue too', async () => {
    const answer = await rawRequest(ts.url, `PROPFIND /api/v1/users/me HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);
    expect(answer.status).toBe(404);
    expect(answer.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect((JSON.parse(answer.body) as { error: { code: string } }).error.code).toBe('route_not_found');
  });

  it('still serves the next connection normally', async () => {
    const answer = await rawRequest(ts.url, `GET /healthz HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({ status: 'ok' });
  });
});
