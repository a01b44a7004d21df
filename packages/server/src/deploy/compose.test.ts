/**
 * The container files, checked without Docker (images cannot be pulled here):
 * deploy/compose.yaml parses; it runs PostgreSQL, Redis, nginx and several Parley instances
 * built from the Dockerfile; every variable a Parley service sets is a config key that the
 * server accepts with those values and that the README documents; every `${VAR}` it asks the
 * operator for is documented in docs/operations.md; nginx gets deploy/nginx.conf with its
 * upstream pointed at exactly those instances; and the Dockerfile is multi-stage, runs as a
 * non-root user, has a HEALTHCHECK on /readyz and starts the compiled server.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ConfigSchema, loadConfig } from '../config.js';

const ROOT = fileURLToPath(new URL('../../../..', import.meta.url));
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');

interface Service {
  image?: string;
  build?: { context: string; dockerfile: string };
  environment?: Record<string, string | number | boolean>;
  command?: string[] | string;
  volumes?: string[];
  depends_on?: Record<string, unknown> | string[];
  healthcheck?: unknown;
}

const composeText = read('deploy/compose.yaml');
const compose = parse(composeText, { merge: true }) as { services: Record<string, Service>; volumes?: Record<string, unknown> };
const parleyServices = Object.entries(compose.services).filter(([, s]) => s.build?.dockerfile === 'Dockerfile');
const operations = read('docs/operations.md');
const readme = read('README.md');

/** `${NAME:?…}`, `${NAME:-default}`, `${NAME}` → NAME. */
const interpolated = (text: string) => [...text.matchAll(/\$\{([A-Z0-9_]+)(?::?[-?][^}]*)?\}/g)].map((m) => m[1] ?? '');

/** Compose's interpolation, with the operator's variables set to sample values. */
const SAMPLE: Record<string, string> = { POSTGRES_PASSWORD: 'sample-secret', PUBLIC_URL: 'https://chat.example.org' };
function substitute(value: string): string {
  return value.replace(/\$\{([A-Z0-9_]+)(?::([-?])([^}]*))?\}/g, (_m, name: string, kind?: string, rest?: string) => {
    if (SAMPLE[name] !== undefined) return SAMPLE[name];
    if (kind === '-') return rest ?? '';
    if (kind === '?') throw new Error(`${name} is required and has no sample`);
    return '';
  });
}

describe('deploy/compose.yaml', () => {
  it('runs PostgreSQL, Redis, nginx and several Parley instances built from the Dockerfile', () => {
    expect(Object.keys(compose.services)).toEqual(expect.arrayContaining(['postgres', 'redis', 'nginx']));
    expect(parleyServices.length).toBeGreaterThanOrEqual(2);
    for (const [name, service] of parleyServices) {
      expect(service.build?.context, name).toBe('..');
      expect(fs.existsSync(path.join(ROOT, 'deploy', service.build?.context ?? '', 'Dockerfile')), name).toBe(true);
      expect(Object.keys(service.depends_on ?? {}), name).toEqual(expect.arrayContaining(['postgres', 'redis']));
    }
    for (const volume of parleyServices.flatMap(([, s]) => s.volumes ?? []).map((v) => v.split(':')[0] ?? '')) {
      expect(Object.keys(compose.volumes ?? {})).toContain(volume);
    }
  });

  it('sets only documented config keys on Parley, with values the server accepts, one INSTANCE_ID each', () => {
    const keys = new Set(Object.keys(ConfigSchema.properties));
    const ids = new Set<string>();
    for (const [name, service] of parleyServices) {
      const env = Object.fromEntries(Object.entries(service.environment ?? {}).map(([k, v]) => [k, substitute(String(v))]));
      for (const key of Object.keys(env)) {
        expect(keys.has(key), `${name}: ${key} is not a config key`).toBe(true);
        expect(readme.includes(`| \`${key}\``), `${name}: ${key} is not in the README's configuration table`).toBe(true);
      }
      const config = loadConfig(env);
      expect(config).toMatchObject({ databaseDialect: 'postgres', DATA_DIR: '/data' });
      expect(config.REDIS_URL).toBeDefined();
      expect(config.trustProxy).toEqual({ hops: 1 });
      ids.add(env.INSTANCE_ID ?? '');
    }
    expect(ids.size).toBe(parleyServices.length);
    expect(ids.has('')).toBe(false);
  });

  it('documents every variable it asks the operator for in docs/operations.md', () => {
    const start = operations.indexOf('## Containers');
    expect(start, 'docs/operations.md has a Containers section').toBeGreaterThanOrEqual(0);
    const section = operations.slice(start);
    for (const name of new Set(interpolated(composeText))) expect(section, `${name} in operations.md, Containers`).toContain(`\`${name}\``);
  });

  it('gives nginx deploy/nginx.conf with its upstream pointed at exactly the Parley instances', () => {
    const nginx = compose.services.nginx;
    const script = (Array.isArray(nginx?.command) ? nginx.command.join(' ') : (nginx?.command ?? '')).replace(/\s+/g, ' ');
    expect(nginx?.volumes).toContain('./nginx.conf:/etc/parley/nginx.conf:ro');
    const seds = [...script.matchAll(/-e '([^']+)'/g)].map((m) => m[1] ?? '');
    expect(seds.length).toBeGreaterThan(0);
    // The same substitutions, applied with sed itself to the shipped file.
    const generated = execFileSync('sed', [...seds.flatMap((s) => ['-e', s]), path.join(ROOT, 'deploy/nginx.conf')], { encoding: 'utf8' });
    const upstream = /upstream parley \{([\s\S]*?)\n\}/.exec(generated)?.[1] ?? '';
    const servers = [...upstream.matchAll(/^\s*server (\S+)/gm)].map((m) => m[1]);
    expect(servers.sort()).toEqual(parleyServices.map(([name]) => `${name}:8080`).sort());
    expect(generated).not.toContain('/etc/letsencrypt/');
    expect(generated).toContain('ssl_certificate /etc/parley/certs/fullchain.pem;');
    expect(generated).toContain('access_log /dev/stdout parley;');
  });
});

describe('Dockerfile', () => {
  const dockerfile = read('Dockerfile');
  const lines = dockerfile
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const stages = lines.filter((l) => /^FROM /i.test(l));
  const finalStage = lines.slice(lines.lastIndexOf(stages.at(-1) ?? ''));

  it('builds in one stage and runs from another, on Node 20', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const stage of stages) expect(stage).toMatch(/^FROM node:20[-.\w]*( AS \w+)?$/);
    expect(finalStage.some((l) => /^COPY --from=build /.test(l))).toBe(true);
    expect(lines).toContain('RUN npm ci --no-audit --no-fund');
  });

  it('runs as a non-root user, with a health check, the data volume and the compiled server', () => {
    const user = finalStage.filter((l) => /^USER /.test(l)).at(-1);
    expect(user).toBeDefined();
    expect(user).not.toMatch(/^USER (root|0)(:|$)/);
    const health = finalStage.find((l) => /^HEALTHCHECK /.test(l));
    expect(health).toContain('/readyz');
    expect(finalStage).toContain('VOLUME /data');
    expect(finalStage.find((l) => /^CMD /.test(l))).toBe('CMD ["node", "packages/server/dist/main.js"]');
    expect(finalStage.find((l) => /^EXPOSE /.test(l))).toBe('EXPOSE 8080');
  });

  it('copies only paths the build produces or the repository has', () => {
    for (const line of finalStage.filter((l) => /^COPY --from=build /.test(l))) {
      const source = line.split(/\s+/)[2] ?? '';
      const relative = source.replace(/^\/app\/?/, '');
      if (relative.endsWith('/dist') || relative === 'node_modules')
        expect(fs.existsSync(path.join(ROOT, path.dirname(relative)))).toBe(true);
      else expect(fs.existsSync(path.join(ROOT, relative)), source).toBe(true);
    }
    // .dockerignore keeps local state (databases, node_modules) out of the build context.
    expect(read('.dockerignore').split('\n')).toEqual(expect.arrayContaining(['node_modules', 'data']));
  });
});
