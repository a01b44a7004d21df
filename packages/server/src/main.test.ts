/**
 * The server as an operator runs it: the compiled `packages/server/dist/main.js` in its own
 * process, on a SQLite file in a temporary DATA_DIR. Start-up, the operations endpoints,
 * JSON logs with request ids, a graceful SIGTERM, data surviving a restart, and a bad
 * configuration refused with a message naming the key.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer, MAIN_JS } from './test/server-process.js';

const ROOT = path.resolve(path.dirname(MAIN_JS), '../../..');

interface Running {
  child: ChildProcess;
  url: string;
  stdout: string[];
  stderr: string[];
  exited: Promise<number | null>;
}

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });

/** Spawns main.js and resolves once it logs that it is serving; stdout and stderr are kept apart. */
function start(env: Record<string, string>): Running {
  const child = spawn(process.execPath, [MAIN_JS], {
    cwd: ROOT,
    // Only what the test sets: no DATABASE_URL or PORT leaking in from the developer's shell.
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stdout: string[] = [];
  const stderr: string[] = [];
  const lines = (into: string[]) => {
    let partial = '';
    return (chunk: Buffer) => {
      const parts = (partial + chunk.toString('utf8')).split('\n');
      partial = parts.pop() ?? '';
      into.push(...parts.filter((line) => line.length > 0));
    };
  };
  child.stdout?.on('data', lines(stdout));
  child.stderr?.on('data', lines(stderr));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, url: '', stdout, stderr, exited };
}

async function startServing(env: Record<string, string>): Promise<Running> {
  const running = start(env);
  const deadline = Date.now() + 30_000;
  let finished = false;
  void running.exited.then(() => {
    finished = true;
  });
  while (Date.now() < deadline && !finished) {
    for (const line of running.stdout) {
      if (!line.includes('Parley is serving')) continue;
      const entry = JSON.parse(line) as { url?: string };
      if (entry.url) return { ...running, url: entry.url };
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  running.child.kill('SIGKILL');
  throw new Error(`main.js did not start serving.\nstdout:\n${running.stdout.join('\n')}\nstderr:\n${running.stderr.join('\n')}`);
}

/** Resolves with the exit code, or null if the process has not exited within the time. */
const exitWithin = (running: Running, ms: number) =>
  Promise.race([running.exited, new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), ms))]);

describe('the server process (dist/main.js)', () => {
  let dataDir: string;
  const started: Running[] = [];
  const credentials = { login: 'restart_user', password: 'survives a restart 1' };

  beforeAll(() => {
    buildServer();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-main-'));
  }, 300_000);

  afterAll(async () => {
    for (const running of started) if (running.child.exitCode === null) running.child.kill('SIGKILL');
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('serves health, readiness, docs and OpenAPI on the configured port, logs JSON lines with request ids, and stops with exit code 0 on SIGTERM', async () => {
    const port = await freePort();
    const server = await startServing({ DATA_DIR: dataDir, PORT: String(port) });
    started.push(server);
    expect(server.url).toBe(`http://127.0.0.1:${port}`);

    const healthz = await fetch(`${server.url}/healthz`);
    expect(healthz.status).toBe(200);
    const readyz = await fetch(`${server.url}/readyz`);
    expect({ status: readyz.status, body: await readyz.json() }).toEqual({ status: 200, body: { status: 'ready', database: 'sqlite' } });

    const docs = await fetch(`${server.url}/api/docs`);
    expect(docs.status).toBe(200);
    expect(docs.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await docs.text()).toMatch(/<html/i);

    const openapi = (await (await fetch(`${server.url}/api/openapi.json`)).json()) as { openapi: string; paths: Record<string, unknown> };
    expect(openapi.openapi).toMatch(/^3\./);
    expect(Object.keys(openapi.paths)).toContain('/api/v1/auth/register');

    const register = await fetch(`${server.url}/api/v1/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'main-test-register' },
      body: JSON.stringify({ email: 'restart@example.org', username: credentials.login, password: credentials.password }),
    });
    expect(register.status).toBe(201);
    expect(register.headers.get('x-request-id')).toBe('main-test-register');

    server.child.kill('SIGTERM');
    expect(await exitWithin(server, 10_000)).toBe(0);

    const entries = server.stdout.map((line) => {
      try {
        return JSON.parse(line) as Record<string, unknown>;
      } catch {
        throw new Error(`a stdout line is not JSON: ${line}`);
      }
    });
    const requestLines = entries.filter((entry) => 'req' in entry || 'res' in entry);
    // healthz, readyz, docs, openapi.json and register: a line when each arrives and one when it is answered.
    expect(requestLines.length).toBeGreaterThanOrEqual(2 * 5);
    for (const entry of requestLines) expect(entry.requestId, JSON.stringify(entry)).toEqual(expect.any(String));
    expect(requestLines.filter((entry) => entry.requestId === 'main-test-register')).toHaveLength(2);
    expect(entries.some((entry) => entry.msg === 'shutting down' && entry.signal === 'SIGTERM')).toBe(true);
    expect(server.stdout.join('\n')).not.toContain(credentials.password);
  }, 60_000);

  it('keeps accounts across a restart on the same DATA_DIR', async () => {
    // Registers first if run alone; after the test above, the account is already there.
    const first = await startServing({ DATA_DIR: dataDir, PORT: String(await freePort()) });
    started.push(first);
    await fetch(`${first.url}/api/v1/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'restart@example.org', username: credentials.login, password: credentials.password }),
    });
    first.child.kill('SIGTERM');
    expect(await exitWithin(first, 10_000)).toBe(0);

    const second = await startServing({ DATA_DIR: dataDir, PORT: String(await freePort()) });
    started.push(second);
    const login = await fetch(`${second.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(credentials),
    });
    expect(login.status).toBe(200);
    expect(((await login.json()) as { user: { username: string } }).user.username).toBe(credentials.login);
    second.child.kill('SIGTERM');
    expect(await exitWithin(second, 10_000)).toBe(0);
    expect(fs.existsSync(path.join(dataDir, 'parley.db'))).toBe(true);
  }, 60_000);

  it.each([
    ['PORT', 'abc'],
    ['LOG_LEVEL', 'loud'],
    ['DATABASE_URL', 'mysql://parley@db/parley'],
  ])(
    'refuses to start with a bad %s, exiting non-zero with a message naming the key',
    async (key, value) => {
      const running = start({ DATA_DIR: dataDir, PORT: String(await freePort()), [key]: value });
      started.push(running);
      const code = await exitWithin(running, 15_000);
      expect(code).not.toBe('timeout');
      expect(code).not.toBe(0);
      expect(running.stderr.join('\n')).toContain(`${key}=`);
    },
    30_000,
  );
});
