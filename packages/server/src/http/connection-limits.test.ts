import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../test/dialects.js';
import { rawSocket } from '../test/realtime-client.js';
import { signUp, startTestServer, type TestServer } from '../test/test-server.js';

/** Every socket a test opened, destroyed after each suite so a failing test cannot hold the server open. */
const opened: Array<{ destroy(): void }> = [];
const destroyOpened = () => {
  for (const socket of opened.splice(0)) socket.destroy();
};

/** An open TCP connection to the server, with everything it has received and when it closed. */
async function openConnection(url: string) {
  const { hostname, port } = new URL(url);
  const socket = net.connect(Number(port), hostname);
  opened.push(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  const received: Buffer[] = [];
  socket.on('data', (chunk) => received.push(chunk));
  socket.on('error', () => undefined);
  const closed = new Promise<number>((resolve) => socket.once('close', () => resolve(Date.now())));
  return { socket, closed, text: () => Buffer.concat(received).toString('utf8') };
}

/** Resolves with how long `closed` took, or with null if it had not closed within `ms`. */
const closedWithin = async (closed: Promise<number>, ms: number) => {
  const started = Date.now();
  const at = await Promise.race([closed, new Promise<null>((resolve) => setTimeout(() => resolve(null), ms))]);
  return at === null ? null : at - started;
};

const statusOf = (text: string) => Number(text.split(' ')[1]);
const bodyOf = (text: string) => JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4)) as { error: { code: string } };

describe('timeouts for clients that send slowly', () => {
  let ts: TestServer;
  let host: string;
  beforeAll(async () => {
    ts = await startTestServer('sqlite', { HTTP_REQUEST_TIMEOUT_MS: '1500', HTTP_HEADERS_TIMEOUT_MS: '700' });
    host = new URL(ts.url).host;
  });
  afterAll(async () => {
    destroyOpened();
    await ts.close();
  });

  it('answers request_timeout (408) to a body trickled slower than HTTP_REQUEST_TIMEOUT_MS, and closes', async () => {
    const connection = await openConnection(ts.url);
    connection.socket.write(
      `POST /api/v1/auth/login HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n{`,
    );
    const trickle = setInterval(() => connection.socket.write(' '), 100);
    try {
      expect(await closedWithin(connection.closed, 5000)).not.toBeNull();
    } finally {
      clearInterval(trickle);
    }
    expect(statusOf(connection.text())).toBe(408);
    expect(bodyOf(connection.text()).error.code).toBe('request_timeout');
  });

  it('closes a connection whose headers trickle in slower than HTTP_HEADERS_TIMEOUT_MS', async () => {
    const connection = await openConnection(ts.url);
    connection.socket.write(`GET /healthz HTTP/1.1\r\nHost: ${host}\r\n`);
    let n = 0;
    const trickle = setInterval(() => {
      n += 1;
      connection.socket.write(`X-Slow-${n}: a\r\n`);
    }, 100);
    try {
      expect(await closedWithin(connection.closed, 4000)).not.toBeNull();
    } finally {
      clearInterval(trickle);
    }
    expect(statusOf(connection.text())).toBe(408);
  });

  it('still serves a request that arrives in time', async () => {
    expect((await fetch(`${ts.url}/healthz`)).status).toBe(200);
  });
});

describe('connections per client address', () => {
  let ts: TestServer;
  let host: string;
  beforeAll(async () => {
    ts = await startTestServer('sqlite', { HTTP_MAX_CONNECTIONS_PER_IP: '5' });
    host = new URL(ts.url).host;
  });
  afterAll(async () => {
    destroyOpened();
    await ts.close();
  });

  it('answers rate_limited on a connection over HTTP_MAX_CONNECTIONS_PER_IP and serves again once one closes', async () => {
    const held = await Promise.all(Array.from({ length: 5 }, () => openConnection(ts.url)));
    const extra = await openConnection(ts.url);
    extra.socket.write(`GET /healthz HTTP/1.1\r\nHost: ${host}\r\n\r\n`);
    expect(await closedWithin(extra.closed, 3000)).not.toBeNull();
    expect(statusOf(extra.text())).toBe(429);
    expect(bodyOf(extra.text()).error.code).toBe('rate_limited');
    expect(extra.text()).toMatch(/\r\nretry-after: 1\r\n/i);

    const first = held.shift();
    first?.socket.destroy();
    await first?.closed;
    await new Promise((resolve) => setTimeout(resolve, 50));
    const next = await openConnection(ts.url);
    next.socket.write(`GET /healthz HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);
    await next.closed;
    expect(statusOf(next.text())).toBe(200);
    for (const connection of held) connection.socket.destroy();
  });
});

for (const dialect of DIALECTS) {
  describe(`unauthenticated WebSockets per client address on ${dialect}`, () => {
    let ts: TestServer;
    beforeAll(async () => {
      ts = await startTestServer(dialect, { TRUST_PROXY: '1', WS_MAX_UNAUTHENTICATED_PER_IP: '3', WS_AUTH_TIMEOUT_MS: '3000' });
    });
    afterAll(async () => {
      destroyOpened();
      await ts.close();
    });

    it('refuses the upgrade with 429 past the cap, and frees a place when a socket says hello or closes', async () => {
      const { token } = await signUp(ts, 'wscap');
      const from = async (address: string) => {
        const socket = await rawSocket(ts.url, { 'x-forwarded-for': address });
        opened.push({ destroy: () => socket.ws.terminate() });
        return socket;
      };
      const waiting = await Promise.all([from('198.51.100.1'), from('198.51.100.1'), from('198.51.100.1')]);
      await expect(from('198.51.100.1')).rejects.toThrow(/429/);
      // Another client behind the same proxy has its own places.
      await from('198.51.100.2');

      const [first, second] = waiting;
      first?.send(JSON.stringify({ id: 'h', cmd: 'hello', params: { token } }));
      expect(await first?.reply('h')).toMatchObject({ type: 'result' });
      await from('198.51.100.1');
      await expect(from('198.51.100.1')).rejects.toThrow(/429/);

      second?.ws.close();
      await second?.whenClosed;
      await new Promise((resolve) => setTimeout(resolve, 50));
      await from('198.51.100.1');
    });
  });
}
