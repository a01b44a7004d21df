/**
 * Starts a Parley cluster for a test: N server processes (the built `dist/main.js`) on one
 * fresh PostgreSQL database, sharing Redis, each with its own INSTANCE_ID, behind an nginx
 * that runs deploy/nginx.conf itself. Only the upstream addresses, the listen port, TLS and
 * the log paths are swapped. nginx's config, pid, logs and temp files live in a temporary
 * directory, so it needs no root paths and clusters can run side by side.
 *
 * Needs nginx (Debian: `apt-get install -y nginx`; the system service is not used),
 * PostgreSQL and Redis. `CLUSTER_AVAILABLE` is false, with a message, when one is missing,
 * unless `PARLEY_TEST_REQUIRE_SERVICES=1`, which makes a missing one a failure.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DIALECTS, REDIS_TEST_URL, REQUIRE_SERVICES, redisAvailable } from './dialects.js';
import { type ServerProcess, startServerProcess } from './server-process.js';
import { CHEAP_PASSWORD_HASHING, createTestDatabase } from './test-server.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
export const DEPLOY_NGINX_CONF = path.join(ROOT, 'deploy/nginx.conf');

type Exit = { code: number | null; signal: NodeJS.Signals | null };

export interface ClusterInstance {
  /** Its INSTANCE_ID: `instance-1`, `instance-2`… */
  readonly id: string;
  /** The instance's own address, bypassing nginx. It stays the same across restarts. */
  readonly url: string;
  readonly child: ChildProcess;
  /** The current process's log lines (JSON, LOG_LEVEL=info): one per request, with `requestId`. */
  readonly output: string[];
  readonly running: boolean;
  /** Sends the signal (SIGTERM by default) and resolves when the process has exited. */
  kill(signal?: NodeJS.Signals): Promise<Exit>;
  /** Stops the process if it still runs (SIGTERM), then starts it again on the same port. */
  restart(): Promise<void>;
}

export interface Cluster {
  /** nginx's address: what clients use. */
  url: string;
  instances: ClusterInstance[];
  /** nginx's access log so far, in deploy/nginx.conf's `parley` format (with `upstream=`). */
  accessLog(): string[];
  /** Stops nginx and every instance, then drops the database. It is safe to call twice. */
  close(): Promise<void>;
}

export interface ClusterOptions {
  instances: number;
  /** Extra environment for every instance. DATABASE_URL, INSTANCE_ID and PORT are the harness's. */
  env?: Record<string, string>;
}

function findNginx(): string | null {
  // Debian puts nginx in /usr/sbin, which is not on every user's PATH.
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter), '/usr/sbin', '/usr/local/sbin'];
  const candidates = process.env.PARLEY_NGINX_PATH
    ? [process.env.PARLEY_NGINX_PATH]
    : dirs.filter(Boolean).map((d) => path.join(d, 'nginx'));
  for (const candidate of candidates) {
    try {
      execFileSync(candidate, ['-v'], { stdio: 'pipe' });
      return candidate;
    } catch {
      // not there, or not runnable: try the next one
    }
  }
  return null;
}

export const NGINX_PATH = findNginx();
export const NGINX_AVAILABLE = NGINX_PATH !== null;

async function clusterServicesAvailable(): Promise<boolean> {
  const missing: string[] = [];
  if (!NGINX_AVAILABLE) missing.push('nginx is not installed (apt-get install -y nginx, or set PARLEY_NGINX_PATH)');
  if (!(await redisAvailable('the cluster tests'))) missing.push(`Redis at ${REDIS_TEST_URL} does not answer`);
  if (missing.length > 0 && REQUIRE_SERVICES)
    throw new Error(`The cluster tests need nginx and Redis (PARLEY_TEST_REQUIRE_SERVICES=1): ${missing.join('; ')}`);
  // A missing PostgreSQL is reported, or made a failure, by dialects.ts already.
  if (!DIALECTS.includes('postgres')) missing.push('PostgreSQL is not available or not selected (PARLEY_TEST_DIALECTS)');
  if (missing.length === 0) return true;
  console.warn(`[parley tests] skipping the cluster tests: ${missing.join('; ')}`);
  return false;
}

/** True when nginx, PostgreSQL and Redis are all there for `startCluster`. */
export const CLUSTER_AVAILABLE = await clusterServicesAvailable();

/** Replaces every match of the global `pattern`; fails loudly when deploy/nginx.conf no longer has one. */
function rewrite(conf: string, what: string, pattern: RegExp, replacement: (index: number, ...groups: string[]) => string): string {
  let index = 0;
  // The callback gets the match, the groups, then the offset and the whole input.
  const result = conf.replace(pattern, (...args: unknown[]) =>
    replacement(index++, ...args.slice(0, -2).map((group) => (typeof group === 'string' ? group : ''))),
  );
  if (index === 0) throw new Error(`${DEPLOY_NGINX_CONF} has no ${what} any more: update clusterNginxConf in cluster.ts to match it`);
  return result;
}

/**
 * deploy/nginx.conf, rewritten for a test: the upstream `server` lines point at the
 * instances (keeping the file's max_fails/fail_timeout), the redirect-to-HTTPS server is
 * dropped, the HTTPS server listens on plain HTTP at 127.0.0.1:<port> without its ssl_*
 * lines, and the logs go to `dir`. Everything else is used as shipped.
 */
export function clusterNginxConf(template: string, options: { dir: string; port: number; upstreams: string[] }): string {
  let conf = template;
  conf = rewrite(conf, 'upstream server lines', /^([ \t]*)server [^\s{;]+:\d+((?: [^;\n]*)?);\n/gm, (i, _line, indent, parameters) =>
    i === 0 ? options.upstreams.map((address) => `${indent}server ${address}${parameters};\n`).join('') : '',
  );
  conf = rewrite(conf, 'server blocks', /^server \{\n[\s\S]*?^\}\n/gm, (_i, block = '') => (block.includes('return 301') ? '' : block));
  conf = rewrite(conf, 'listen lines', /^([ \t]*)listen [^;\n]*;\n/gm, (i, _line, indent) =>
    i === 0 ? `${indent}listen 127.0.0.1:${options.port};\n` : '',
  );
  conf = rewrite(conf, 'ssl_* lines', /^[ \t]*ssl_\w+ [^;\n]*;\n/gm, () => '');
  conf = rewrite(conf, 'log paths', /\/var\/log\/nginx\//g, () => `${options.dir}/`);
  return conf;
}

/** The main context around the site file: every path in `dir`, one worker, in the foreground. */
function mainNginxConf(dir: string): string {
  return [
    '# Written by packages/server/src/test/cluster.ts for one test cluster.',
    'worker_processes 1;',
    `pid ${dir}/nginx.pid;`,
    `error_log ${dir}/error.log info;`,
    'events { worker_connections 1024; }',
    'http {',
    '  access_log off;',
    `  client_body_temp_path ${dir}/client_body;`,
    `  proxy_temp_path ${dir}/proxy;`,
    `  fastcgi_temp_path ${dir}/fastcgi;`,
    `  uwsgi_temp_path ${dir}/uwsgi;`,
    `  scgi_temp_path ${dir}/scgi;`,
    `  include ${dir}/parley.conf;`,
    '}',
    '',
  ].join('\n');
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function exitOf(child: ChildProcess): Promise<Exit> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

/** SIGTERM, then SIGKILL if the process is still there after `graceMs`. */
async function stopChild(child: ChildProcess, graceMs: number): Promise<void> {
  const exited = exitOf(child);
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

class Member implements ClusterInstance {
  constructor(
    readonly id: string,
    private readonly env: Record<string, string>,
    private process: ServerProcess,
  ) {}

  get url() {
    return this.process.url;
  }
  get child() {
    return this.process.child;
  }
  get output() {
    return this.process.output;
  }
  get running() {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  kill(signal: NodeJS.Signals = 'SIGTERM'): Promise<Exit> {
    if (this.running) this.child.kill(signal);
    return this.process.exited;
  }

  async restart(): Promise<void> {
    // Server shutdown takes up to 10 s (see main.ts), then it exits on its own.
    await stopChild(this.child, 15_000);
    this.process = await startServerProcess({ ...this.env, PORT: new URL(this.url).port });
  }

  stop(): Promise<void> {
    return stopChild(this.child, 15_000);
  }
}

export interface Nginx {
  url: string;
  child: ChildProcess;
  dir: string;
}

/** Stops an nginx from startNginx (SIGTERM, then SIGKILL after 5 s). */
export const stopNginx = (nginx: Nginx) => stopChild(nginx.child, 5000);

function nginxLogs(dir: string, child: ChildProcess | null, output: string[]): string {
  const errorLog = fs.existsSync(path.join(dir, 'error.log')) ? fs.readFileSync(path.join(dir, 'error.log'), 'utf8') : '';
  const state =
    child && (child.exitCode !== null || child.signalCode !== null) ? `nginx exited (${child.exitCode ?? child.signalCode})` : '';
  return [state, errorLog, ...output].filter(Boolean).join('\n');
}

/** Starts nginx on a free port and waits until `/readyz` answers 200 through it. */
export async function startNginx(dir: string, upstreams: string[]): Promise<Nginx> {
  const nginx = NGINX_PATH;
  if (!nginx) throw new Error('nginx is not installed: apt-get install -y nginx (the cluster harness starts its own; no service needed)');
  const template = fs.readFileSync(DEPLOY_NGINX_CONF, 'utf8');
  fs.writeFileSync(path.join(dir, 'nginx.conf'), mainNginxConf(dir));
  for (let attempt = 1; ; attempt += 1) {
    // The port can be taken between probing and nginx binding it: then try another.
    const port = await freePort();
    fs.writeFileSync(path.join(dir, 'parley.conf'), clusterNginxConf(template, { dir, port, upstreams }));
    fs.rmSync(path.join(dir, 'error.log'), { force: true });
    // -e: the error log before the config is read (Debian's built-in path is /var/log/nginx).
    const child = spawn(
      nginx,
      ['-p', `${dir}/`, '-c', path.join(dir, 'nginx.conf'), '-e', path.join(dir, 'error.log'), '-g', 'daemon off;'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const output: string[] = [];
    child.stdout.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    const url = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline && child.exitCode === null && child.signalCode === null) {
      const status = await fetch(`${url}/readyz`).then(
        (response) => response.status,
        () => 0,
      );
      if (status === 200) return { url, child, dir };
      await sleep(100);
    }
    await stopChild(child, 5000);
    const logs = nginxLogs(dir, child, output);
    if (attempt < 3 && logs.includes('Address already in use')) continue;
    throw new Error(`nginx did not answer /readyz at ${url}:\n${logs}`);
  }
}

/** Starts nginx in front of `instances` Parley processes on one fresh PostgreSQL database and Redis. */
export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  if (!NGINX_PATH)
    throw new Error('nginx is not installed: apt-get install -y nginx (the cluster harness starts its own; no service needed)');
  if (!Number.isInteger(options.instances) || options.instances < 1)
    throw new Error(`instances must be 1 or more, not ${options.instances}`);
  const database = await createTestDatabase('postgres');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-cluster-'));
  // When the tests run as root, nginx's workers run as nobody and must reach the temp paths.
  fs.chmodSync(dir, 0o755);
  const members: Member[] = [];
  let nginx: Nginx | null = null;
  // If the test process ends without close(), no server or nginx outlives it.
  const killAll = () => {
    for (const child of [nginx?.child, ...members.map((m) => m.child)]) if (child?.exitCode === null) child.kill('SIGKILL');
  };
  process.once('exit', killAll);

  let closing: Promise<void> | null = null;
  const close = () => {
    closing ??= (async () => {
      process.removeListener('exit', killAll);
      try {
        if (nginx) await stopChild(nginx.child, 5000);
        await Promise.all(members.map((member) => member.stop()));
      } finally {
        // `with (force)` ends connections a SIGKILLed instance left behind.
        await database.drop();
        fs.rmSync(dir, { recursive: true, force: true });
      }
    })();
    return closing;
  };

  try {
    const shared = {
      REDIS_URL: REDIS_TEST_URL,
      // Clusters running side by side share the test Redis: each keeps to its own keys.
      REDIS_KEY_PREFIX: `parley-test-${path.basename(dir)}`,
      TRUST_PROXY: 'true',
      // Every cluster signs up from 127.0.0.1 and counts in the one test Redis.
      REGISTER_IP_MAX_ACCOUNTS: '1000000',
      ...CHEAP_PASSWORD_HASHING,
      // Several clusters, each of several instances, share the test PostgreSQL.
      DATABASE_POOL_MAX: '4',
      ...options.env,
      ...database.env,
    };
    const start = async (index: number) => {
      const id = `instance-${index + 1}`;
      const env = { ...shared, INSTANCE_ID: id };
      members[index] = new Member(id, env, await startServerProcess(env));
    };
    // The first instance migrates the empty database; the others start once it serves,
    // since concurrent migrations of one database would race.
    await start(0);
    // allSettled: on a failure, close() must not run while another instance is still starting.
    const rest = await Promise.allSettled(Array.from({ length: options.instances - 1 }, (_, i) => start(i + 1)));
    const failed = rest.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
    nginx = await startNginx(
      dir,
      members.map((member) => new URL(member.url).host),
    );
  } catch (error) {
    await close().catch(() => undefined);
    throw error;
  }

  const started = nginx;
  return {
    url: started.url,
    instances: members,
    accessLog: () => fs.readFileSync(path.join(dir, 'parley.access.log'), 'utf8').split('\n').filter(Boolean),
    close,
  };
}
