/**
 * Environment → typed, validated configuration. A bad value stops the start with a
 * message naming the key; every key is documented in the README.
 */
import path from 'node:path';
import { type Static, Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

const Int = (def: number, min: number, max: number, description: string) =>
  Type.Integer({ default: def, minimum: min, maximum: max, description });

export const ConfigSchema = Type.Object({
  PORT: Int(8080, 0, 65535, 'TCP port to listen on'),
  HOST: Type.String({ default: '0.0.0.0', minLength: 1 }),
  DATA_DIR: Type.String({ default: './data', minLength: 1 }),
  DATABASE_URL: Type.Optional(Type.String({ pattern: '^postgres(ql)?://' })),
  REDIS_URL: Type.Optional(Type.String({ pattern: '^rediss?://' })),
  PUBLIC_URL: Type.Optional(Type.String({ pattern: '^https?://[^/]+' })),
  ALLOWED_ORIGINS: Type.String({ default: '' }),
  LOG_LEVEL: Type.Union(
    ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)),
    { default: 'info' },
  ),
  TRUST_PROXY: Type.Boolean({ default: false }),
  SESSION_TTL_DAYS: Int(30, 1, 3650, 'days a session lives without use'),
  LOGIN_ACCOUNT_MAX_FAILURES: Int(10, 1, 10_000, 'failed logins per account per window'),
  LOGIN_IP_MAX_FAILURES: Int(100, 1, 100_000, 'failed logins per IP per window'),
  LOGIN_THROTTLE_WINDOW_SECONDS: Int(900, 1, 86_400, 'throttle window'),
  BODY_LIMIT_BYTES: Int(1_048_576, 1024, 104_857_600, 'largest JSON body accepted'),
  WS_SEND_RATE_PER_SECOND: Int(30, 1, 100_000, 'messages a user may send per second'),
  WS_SEND_BURST: Int(60, 1, 1_000_000, 'burst allowance for sends'),
  WS_MAX_BUFFERED_BYTES: Int(4_194_304, 65_536, 1_073_741_824, 'outgoing buffer before cut-off'),
  WS_HEARTBEAT_SECONDS: Int(25, 1, 600, 'ping interval'),
  WS_AUTH_TIMEOUT_MS: Int(5000, 100, 60_000, 'time to authenticate a socket'),
  EVENT_RETENTION_HOURS: Int(168, 1, 87_600, 'hours each stream keeps its events for resume'),
  RESUME_MAX_EVENTS: Int(1000, 1, 100_000, 'a stream missing more events than this is reloaded instead of replayed'),
  DATABASE_POOL_MAX: Int(10, 1, 1000, 'PostgreSQL connections per instance'),
  INSTANCE_ID: Type.Optional(Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9._-]+$' })),
  PRESENCE_GRACE_MS: Int(5000, 0, 600_000, 'delay before a disconnected user goes offline'),
  WEB_DIR: Type.Optional(Type.String({ minLength: 1 })),
});

export type Config = Static<typeof ConfigSchema> & {
  /** Derived: which database the DATABASE_URL selects. */
  databaseDialect: 'sqlite' | 'postgres';
  sqlitePath: string;
  allowedOrigins: string[];
};

export class ConfigError extends Error {}

const BOOLEAN_KEYS = new Set(['TRUST_PROXY']);

/** Parse an environment-like record; throws ConfigError naming the first bad key. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const raw: Record<string, unknown> = {};
  for (const key of Object.keys(ConfigSchema.properties)) {
    const value = env[key];
    if (value === undefined || value === '') continue;
    const schema = (ConfigSchema.properties as Record<string, { type?: string }>)[key];
    // Whole decimal numbers only: "1.5" or "0x50" must not quietly become 1 or 80.
    if (schema?.type === 'integer' && !/^\d+$/.test(value.trim())) {
      throw new ConfigError(`Invalid configuration: ${key}=${JSON.stringify(value)}: Expected a whole number`);
    }
    if (BOOLEAN_KEYS.has(key)) raw[key] = value === 'true' || value === '1' ? true : value === 'false' || value === '0' ? false : value;
    else raw[key] = value;
  }
  const converted = Value.Convert(ConfigSchema, Value.Default(ConfigSchema, raw));
  const firstError = Value.Errors(ConfigSchema, converted).First();
  if (firstError) {
    const key = firstError.path.replace(/^\//, '');
    throw new ConfigError(`Invalid configuration: ${key}=${JSON.stringify(env[key] ?? '')}: ${firstError.message}`);
  }
  const parsed = converted as Static<typeof ConfigSchema>;
  const allowedOrigins = parsed.ALLOWED_ORIGINS.split(',')
    .map((o) => o.trim())
    .filter(Boolean);
  if (parsed.PUBLIC_URL) allowedOrigins.push(new URL(parsed.PUBLIC_URL).origin);
  return {
    ...parsed,
    databaseDialect: parsed.DATABASE_URL ? 'postgres' : 'sqlite',
    sqlitePath: path.resolve(parsed.DATA_DIR, 'parley.db'),
    allowedOrigins,
  };
}
