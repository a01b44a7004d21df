import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigError, ConfigSchema, loadConfig } from './config.js';

/** Runs loadConfig and returns the ConfigError it throws, failing the test if it does not throw one. */
const configError = (env: Record<string, string>): ConfigError => {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
};

describe('configuration from the environment', () => {
  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['PORT', '-1'],
    ['PORT', '1.5'],
    ['PORT', '0x50'],
    ['DATABASE_URL', 'mysql://parley@db/parley'],
    ['LOG_LEVEL', 'loud'],
    ['TRUST_PROXY', 'maybe'],
    ['TRUST_PROXY', '11'],
    ['TRUST_PROXY', '10.0.0.0/33'],
    ['TRUST_PROXY', '127.0.0.1, nginx.internal'],
    ['REDIS_URL', 'http://127.0.0.1:6379'],
    ['PUBLIC_URL', 'ftp://chat.example.org'],
    ['BODY_LIMIT_BYTES', '10'],
    ['SESSION_TTL_DAYS', '0'],
  ])('refuses %s=%s with a ConfigError naming the key and the value', (key, value) => {
    const error = configError({ [key]: value });
    expect(error.message).toContain(`${key}=${JSON.stringify(value)}`);
  });

  it('refuses a headers timeout longer than the request timeout, naming the headers key', () => {
    expect(configError({ HTTP_HEADERS_TIMEOUT_MS: '40000' }).message).toContain('HTTP_HEADERS_TIMEOUT_MS="40000"');
    expect(configError({ HTTP_REQUEST_TIMEOUT_MS: '5000' }).message).toContain('HTTP_HEADERS_TIMEOUT_MS="10000"');
  });

  it('names the bad key even when other keys are good', () => {
    const error = configError({ PORT: '9000', LOG_LEVEL: 'debug', WS_HEARTBEAT_SECONDS: 'often' });
    expect(error.message).toMatch(/^Invalid configuration: WS_HEARTBEAT_SECONDS=/);
  });

  it('uses the documented defaults when nothing is set: port 8080 on all interfaces, SQLite in ./data, info logs', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      PORT: 8080,
      HOST: '0.0.0.0',
      DATA_DIR: './data',
      LOG_LEVEL: 'info',
      trustProxy: { hops: 0 },
      SESSION_TTL_DAYS: 30,
      BODY_LIMIT_BYTES: 1_048_576,
      databaseDialect: 'sqlite',
      sqlitePath: path.resolve('./data', 'parley.db'),
      allowedOrigins: [],
    });
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.REDIS_URL).toBeUndefined();
  });

  it('gives every key in the schema a default or makes it optional, so an empty environment starts', () => {
    const config = loadConfig({}) as Record<string, unknown>;
    const required: readonly string[] = ConfigSchema.required ?? [];
    for (const key of Object.keys(ConfigSchema.properties)) {
      // Optional keys (DATABASE_URL, SMTP_URL, S3_BUCKET…) may stay unset; every other one has a default.
      if (!required.includes(key)) continue;
      expect(config[key], key).toBeDefined();
    }
  });

  it('treats an empty value as unset, as shells and compose files produce them', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: '' })).toMatchObject({ PORT: 8080, databaseDialect: 'sqlite' });
  });

  it('converts numbers from their text form', () => {
    expect(loadConfig({ PORT: '0', LOGIN_THROTTLE_WINDOW_SECONDS: '60' })).toMatchObject({ PORT: 0, LOGIN_THROTTLE_WINDOW_SECONDS: 60 });
  });

  it('reads TRUST_PROXY as a number of proxy hops (true is one) or a list of proxy addresses and ranges', () => {
    expect(loadConfig({ TRUST_PROXY: 'false' }).trustProxy).toEqual({ hops: 0 });
    expect(loadConfig({ TRUST_PROXY: '0' }).trustProxy).toEqual({ hops: 0 });
    expect(loadConfig({ TRUST_PROXY: 'true' }).trustProxy).toEqual({ hops: 1 });
    expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).toEqual({ hops: 2 });
    expect(loadConfig({ TRUST_PROXY: ' 127.0.0.1, 10.0.0.0/8 ,fd00::/8' }).trustProxy).toEqual({
      addresses: ['127.0.0.1', '10.0.0.0/8', 'fd00::/8'],
    });
  });

  it('selects PostgreSQL when DATABASE_URL is a postgres:// or postgresql:// URL', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://parley@db:5432/parley' }).databaseDialect).toBe('postgres');
    expect(loadConfig({ DATABASE_URL: 'postgresql://parley@db/parley' }).databaseDialect).toBe('postgres');
  });

  it('keeps the SQLite file inside DATA_DIR', () => {
    expect(loadConfig({ DATA_DIR: '/var/lib/parley' }).sqlitePath).toBe('/var/lib/parley/parley.db');
  });

  it('allows the origins in ALLOWED_ORIGINS plus the origin of PUBLIC_URL', () => {
    const config = loadConfig({
      ALLOWED_ORIGINS: ' https://a.example.org, ,https://b.example.org ',
      PUBLIC_URL: 'https://chat.example.org/parley',
    });
    expect(config.allowedOrigins).toEqual(['https://a.example.org', 'https://b.example.org', 'https://chat.example.org']);
  });

  it('has every key documented in the README configuration table', () => {
    const readme = fs.readFileSync(fileURLToPath(new URL('../../../README.md', import.meta.url)), 'utf8');
    const section = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('\n## ', readme.indexOf('## Configuration')));
    const documented = [...section.matchAll(/^\| `([A-Z0-9_]+)` +\|/gm)].map((match) => match[1]);
    expect(documented).toEqual(Object.keys(ConfigSchema.properties));
  });
});
