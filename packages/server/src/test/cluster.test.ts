/**
 * The cluster harness, and deploy/nginx.conf with it: three instances behind nginx on one
 * PostgreSQL database. Requests spread over every instance without sticky sessions, any
 * instance serves any user, sockets open through nginx, and nginx routes around an
 * instance that was SIGKILLed. Only REST and the WebSocket `hello` are used, not the
 * cross-instance delivery of events.
 */
import { randomBytes } from 'node:crypto';
import { WS_PATH } from '@parley/protocol';
import { createParleyClient } from '@parley/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { CLUSTER_AVAILABLE, type Cluster, startCluster } from './cluster.js';
import { buildServer } from './server-process.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface RequestLogLine {
  msg?: string;
  requestId?: string;
  req?: { remoteAddress?: string };
}

/** The `incoming request` log lines of `requestId`, by instance id. Log lines arrive over a pipe, so this waits a little. */
async function requestLog(cluster: Cluster, requestId: string): Promise<Map<string, RequestLogLine>> {
  const deadline = Date.now() + 3000;
  for (;;) {
    const found = new Map<string, RequestLogLine>();
    for (const instance of cluster.instances) {
      for (const line of instance.output) {
        if (!line.includes(requestId)) continue;
        const parsed = JSON.parse(line) as RequestLogLine;
        if (parsed.requestId === requestId && parsed.msg === 'incoming request') found.set(instance.id, parsed);
      }
    }
    if (found.size > 0 || Date.now() > deadline) return found;
    await sleep(50);
  }
}

/** Whether nginx's access log has `requestId`. nginx writes the line after it has answered, so this waits a little. */
async function accessLogged(cluster: Cluster, requestId: string): Promise<boolean> {
  const deadline = Date.now() + 3000;
  for (;;) {
    const found = cluster.accessLog().some((line) => line.includes(`request_id=${requestId}`));
    if (found || Date.now() > deadline) return found;
    await sleep(50);
  }
}

/** GET /readyz at `baseUrl`: its status, the request id and the ids of the instances that logged it. */
async function readyz(cluster: Cluster, baseUrl: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${baseUrl}/readyz`, { headers });
  const requestId = response.headers.get('x-request-id') ?? '';
  const log = await requestLog(cluster, requestId);
  return { status: response.status, requestId, servedBy: [...log.keys()], log: [...log.values()] };
}

async function register(baseUrl: string) {
  const username = `u${randomBytes(6).toString('hex')}`;
  const password = `pw-${randomBytes(10).toString('hex')}`;
  const result = await createParleyClient({ baseUrl }).auth.register({ email: `${username}@example.org`, username, password });
  return { ...result, username, password };
}

interface OpenSocket {
  ws: WebSocket;
  hello: { type: string; id: string; result?: { user?: { id: string } } };
  closed: Promise<number>;
}

/** Opens a socket at `baseUrl` and sends `hello` with the token; resolves with its reply. */
async function connect(baseUrl: string, token: string): Promise<OpenSocket> {
  const ws = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}${WS_PATH}`);
  const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  const hello = await new Promise<OpenSocket['hello']>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no reply to hello within 5 s')), 5000);
    ws.on('message', (raw) => {
      const frame = JSON.parse(String(raw)) as OpenSocket['hello'];
      if (frame.id !== 'h') return;
      clearTimeout(timer);
      resolve(frame);
    });
    ws.send(JSON.stringify({ id: 'h', cmd: 'hello', params: { token } }));
  });
  return { ws, hello, closed };
}

describe.skipIf(!CLUSTER_AVAILABLE)('a cluster of three instances behind nginx (deploy/nginx.conf)', () => {
  let cluster: Cluster;
  beforeAll(async () => {
    buildServer();
    cluster = await startCluster({ instances: 3 });
  }, 120_000);
  afterAll(() => cluster?.close(), 60_000);

  it('spreads requests over every instance, each with the request id nginx made and logged', async () => {
    const servedBy = new Set<string>();
    for (let i = 0; i < 9; i += 1) {
      const answer = await readyz(cluster, cluster.url);
      expect(answer.status).toBe(200);
      // nginx's $request_id: 32 hex digits, the same in nginx's access log and the instance's log.
      expect(answer.requestId).toMatch(/^[0-9a-f]{32}$/);
      expect(answer.servedBy).toHaveLength(1);
      expect(await accessLogged(cluster, answer.requestId)).toBe(true);
      for (const id of answer.servedBy) servedBy.add(id);
    }
    expect([...servedBy].sort()).toEqual(['instance-1', 'instance-2', 'instance-3']);
  });

  it('lets a user registered through nginx log in at every instance directly', async () => {
    const { user, token, username, password } = await register(cluster.url);
    for (const instance of cluster.instances) {
      const login = await createParleyClient({ baseUrl: instance.url }).auth.login({ login: username, password });
      expect(login.user.id).toBe(user.id);
      expect((await createParleyClient({ baseUrl: instance.url, token }).users.me()).id).toBe(user.id);
    }
  });

  it('opens a WebSocket through nginx that answers hello with the session token', async () => {
    const { user, token } = await register(cluster.url);
    const socket = await connect(cluster.url, token);
    expect(socket.hello).toMatchObject({ type: 'result', id: 'h', result: { user: { id: user.id } } });
    socket.ws.close();
    await socket.closed;
  });

  it("replaces a client's X-Forwarded-For with the address nginx saw", async () => {
    const spoofed = { 'x-forwarded-for': '203.0.113.7' };
    // Directly, TRUST_PROXY=true believes the header…
    const direct = await readyz(cluster, cluster.instances[0]?.url ?? '', spoofed);
    expect(direct.log[0]?.req?.remoteAddress).toBe('203.0.113.7');
    // …so nginx must not pass on what the client wrote.
    const proxied = await readyz(cluster, cluster.url, spoofed);
    expect(proxied.log[0]?.req?.remoteAddress).toBe('127.0.0.1');
  });

  it('refuses /metrics, which instances answer without authentication', async () => {
    const response = await fetch(`${cluster.url}/metrics`);
    expect(response.status).toBe(404);
    // nginx's own answer: an instance would have stamped its request id.
    expect(response.headers.get('x-request-id')).toBeNull();
  });

  it('answers 413 itself to a body above the 1 MiB BODY_LIMIT_BYTES', async () => {
    const response = await fetch(`${cluster.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login: 'x'.repeat(1_100_000), password: 'x' }),
    });
    expect(response.status).toBe(413);
    expect(response.headers.get('x-request-id')).toBeNull();
  });
});

describe.skipIf(!CLUSTER_AVAILABLE)('a cluster behind nginx when an instance dies', () => {
  let cluster: Cluster;
  beforeAll(async () => {
    buildServer();
    cluster = await startCluster({ instances: 3 });
  }, 120_000);
  afterAll(() => cluster?.close(), 60_000);

  it('keeps serving REST and sockets through the others after a SIGKILL, and takes the instance back after a restart', {
    timeout: 120_000,
  }, async () => {
    const { user, token, username, password } = await register(cluster.url);
    // least_conn: while the first sockets stay open, each one goes to a different instance.
    const sockets = [await connect(cluster.url, token), await connect(cluster.url, token), await connect(cluster.url, token)];
    const victim = cluster.instances[1];
    if (!victim) throw new Error('no second instance');

    expect(await victim.kill('SIGKILL')).toEqual({ code: null, signal: 'SIGKILL' });
    // Exactly the socket on the dead instance ends, without a close frame (1006).
    const firstClose = await Promise.race(sockets.map((socket, i) => socket.closed.then((code) => ({ i, code }))));
    expect(firstClose.code).toBe(1006);
    await sleep(300);
    expect(sockets.filter((socket) => socket.ws.readyState === WebSocket.OPEN)).toHaveLength(2);

    for (let i = 0; i < 9; i += 1) {
      const answer = await readyz(cluster, cluster.url);
      expect(answer.status).toBe(200);
      expect(answer.servedBy).toHaveLength(1);
      expect(answer.servedBy).not.toContain(victim.id);
    }
    // A POST is retried on another instance too, because the dead one refused the connection
    // and never saw it.
    for (let i = 0; i < 3; i += 1) {
      const login = await createParleyClient({ baseUrl: cluster.url }).auth.login({ login: username, password });
      expect(login.user.id).toBe(user.id);
    }
    // The client whose socket died reconnects through nginx and lands on a live instance.
    const reconnected = await connect(cluster.url, token);
    expect(reconnected.hello).toMatchObject({ type: 'result', id: 'h', result: { user: { id: user.id } } });

    await victim.restart();
    expect(victim.running).toBe(true);
    expect((await fetch(`${victim.url}/readyz`)).status).toBe(200);
    // nginx tries the instance again once fail_timeout (10 s) has passed.
    const deadline = Date.now() + 20_000;
    let backInRotation = false;
    while (!backInRotation && Date.now() < deadline) {
      backInRotation = (await readyz(cluster, cluster.url)).servedBy.includes(victim.id);
      if (!backInRotation) await sleep(250);
    }
    expect(backInRotation).toBe(true);

    for (const socket of [...sockets, reconnected]) socket.ws.close();
  });
});
