/**
 * Environment → typed, validated configuration. A bad value stops the start with a
 * message naming the key; every key is documented in the README.
 */
import net from 'node:net';
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
  TRUST_PROXY: Type.String({ default: 'false', minLength: 1 }),
  SESSION_TTL_DAYS: Int(30, 1, 3650, 'days a session lives without use'),
  LOGIN_ACCOUNT_MAX_FAILURES: Int(100, 1, 10_000, 'failed logins per account, from all addresses, per window'),
  LOGIN_ACCOUNT_IP_MAX_FAILURES: Int(10, 1, 10_000, 'failed logins per account from one client address per window'),
  LOGIN_IP_MAX_FAILURES: Int(100, 1, 100_000, 'failed logins per IP per window'),
  LOGIN_THROTTLE_WINDOW_SECONDS: Int(900, 1, 86_400, 'throttle window'),
  PASSWORD_HASH_MEMORY_KIB: Int(19_456, 64, 4_194_304, 'argon2id memory per password hash, in KiB (lower only for tests)'),
  PASSWORD_HASH_PASSES: Int(2, 1, 64, 'argon2id passes per password hash (lower only for tests)'),
  REGISTER_IP_MAX_ACCOUNTS: Int(10, 1, 1_000_000, 'accounts one client address may create per window'),
  REGISTER_WINDOW_SECONDS: Int(3600, 1, 604_800, 'sign-up limit window'),
  BODY_LIMIT_BYTES: Int(1_048_576, 1024, 104_857_600, 'largest JSON body accepted'),
  HTTP_REQUEST_TIMEOUT_MS: Int(30_000, 100, 3_600_000, 'time a client has to send a whole request, headers and body'),
  HTTP_HEADERS_TIMEOUT_MS: Int(10_000, 100, 3_600_000, 'time a client has to send the request headers'),
  HTTP_KEEP_ALIVE_TIMEOUT_MS: Int(72_000, 100, 3_600_000, 'an idle keep-alive connection is closed after this'),
  HTTP_IDLE_TIMEOUT_MS: Int(120_000, 1000, 3_600_000, 'a connection moving no bytes either way is closed after this'),
  HTTP_MAX_CONNECTIONS_PER_IP: Int(128, 1, 1_000_000, 'open connections per client address, when not through a trusted proxy'),
  WS_SEND_RATE_PER_SECOND: Int(30, 1, 100_000, 'messages a user may send per second'),
  WS_SEND_BURST: Int(60, 1, 1_000_000, 'burst allowance for sends'),
  ACTION_RATE_PER_SECOND: Int(5, 1, 100_000, 'other changes (edits, reactions, renames, members…) a user may make per second'),
  ACTION_BURST: Int(30, 1, 1_000_000, 'burst allowance for other changes'),
  READ_TYPING_RATE_PER_SECOND: Int(20, 1, 100_000, 'read marks and typing signals a user may send per second'),
  READ_TYPING_BURST: Int(100, 1, 1_000_000, 'burst allowance for read marks and typing'),
  WS_MAX_BUFFERED_BYTES: Int(4_194_304, 65_536, 1_073_741_824, 'outgoing buffer before cut-off'),
  WS_HEARTBEAT_SECONDS: Int(25, 1, 600, 'ping interval'),
  WS_AUTH_TIMEOUT_MS: Int(5000, 100, 60_000, 'time to authenticate a socket'),
  WS_MAX_UNAUTHENTICATED_PER_IP: Int(64, 1, 1_000_000, 'sockets per client address that have not said hello yet'),
  EVENT_RETENTION_HOURS: Int(168, 1, 87_600, 'hours each stream keeps its events for resume'),
  RESUME_MAX_EVENTS: Int(1000, 1, 100_000, 'a stream missing more events than this is reloaded instead of replayed'),
  DATABASE_POOL_MAX: Int(10, 1, 1000, 'PostgreSQL connections per instance'),
  REDIS_KEY_PREFIX: Type.String({ default: 'parley', minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9._-]+$' }),
  INSTANCE_ID: Type.Optional(Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9._-]+$' })),
  JOBS_CONCURRENCY: Int(2, 1, 64, 'background jobs each instance runs at once'),
  JOBS_POLL_MS: Int(1000, 10, 60_000, 'how often an instance looks for due background jobs'),
  JOBS_LEASE_MS: Int(600_000, 1000, 86_400_000, 'a running job whose instance stops renewing it for this long is run again'),
  JOBS_RETRY_BASE_MS: Int(5000, 1, 3_600_000, 'wait before the first retry of a failed job; doubles each attempt, capped at an hour'),
  JOBS_MAX_ATTEMPTS: Int(8, 1, 100, 'attempts before a background job is marked failed'),
  UPLOAD_MAX_BYTES: Int(104_857_600, 1, 5_497_558_138_880, 'largest file one upload may be'),
  UPLOAD_QUOTA_BYTES: Int(10_737_418_240, 1, Number.MAX_SAFE_INTEGER, 'bytes of files (uploaded and in progress) one user may keep'),
  FILE_RECLAIM_GRACE_HOURS: Int(24, 0, 87_600, 'hours a file of a deleted message is kept before its bytes are removed'),
  UPLOAD_ABANDONED_HOURS: Int(24, 1, 87_600, 'hours before an upload never finished, or never sent nor made an avatar, is removed'),
  S3_BUCKET: Type.Optional(Type.String({ minLength: 3, maxLength: 63 })),
  S3_ENDPOINT: Type.Optional(Type.String({ pattern: '^https?://' })),
  S3_REGION: Type.String({ default: 'us-east-1', minLength: 1 }),
  S3_ACCESS_KEY_ID: Type.Optional(Type.String({ minLength: 1 })),
  S3_SECRET_ACCESS_KEY: Type.Optional(Type.String({ minLength: 1 })),
  S3_FORCE_PATH_STYLE: Type.Union([Type.Literal('true'), Type.Literal('false')], { default: 'true' }),
  S3_PREFIX: Type.String({ default: '', maxLength: 200, pattern: '^([A-Za-z0-9._-]+/)*$' }),
  SMTP_URL: Type.Optional(Type.String({ pattern: '^smtps?://' })),
  MAIL_FROM: Type.String({ default: 'Parley <parley@localhost>', minLength: 3 }),
  REQUIRE_EMAIL_VERIFICATION: Type.Boolean({ default: false }),
  EMAIL_VERIFICATION_TTL_HOURS: Int(48, 1, 720, 'hours an email verification link works'),
  PASSWORD_RESET_TTL_MINUTES: Int(30, 1, 1440, 'minutes a password reset link and code work'),
  PASSWORD_RESET_ADDRESS_MAX: Int(3, 1, 1000, 'password reset emails per address per window'),
  PASSWORD_RESET_IP_MAX: Int(20, 1, 1_000_000, 'password reset requests per client address per window'),
  PASSWORD_RESET_WINDOW_SECONDS: Int(3600, 1, 86_400, 'password reset limit window'),
  VAPID_SUBJECT: Type.Optional(Type.String({ pattern: '^(mailto:|https://)' })),
  WEBHOOK_ALLOW_PRIVATE_TARGETS: Type.Boolean({ default: false }),
  LINK_PREVIEW_TIMEOUT_MS: Int(8000, 100, 60_000, 'time a link preview fetch (page or image, redirects included) may take'),
  LINK_PREVIEW_MAX_BYTES: Int(5_242_880, 1024, 104_857_600, 'largest page or preview image the server reads when fetching a link preview'),
  LINK_PREVIEW_CACHE_HOURS: Int(24, 1, 8760, 'hours a fetched link preview is reused for the same URL before it is fetched again'),
  EXPORT_LINK_TTL_HOURS: Int(72, 1, 720, 'hours a data-export download link works'),
  PRESENCE_GRACE_MS: Int(5000, 0, 600_000, 'delay before a disconnected user goes offline'),
  WEB_DIR: Type.Optional(Type.String({ minLength: 1 })),
});

/**
 * Which peers may tell us the client's address (X-Forwarded-For) and scheme
 * (X-Forwarded-Proto): the nearest `hops` proxies whatever their address, or only peers
 * in `addresses` (IPs and CIDR ranges). `{ hops: 0 }` trusts nobody.
 */
export type TrustProxy = { hops: number } | { addresses: string[] };

export type Config = Static<typeof ConfigSchema> & {
  trustProxy: TrustProxy;
  /** Derived: which database the DATABASE_URL selects. */
  databaseDialect: 'sqlite' | 'postgres';
  sqlitePath: string;
  allowedOrigins: string[];
};

export class ConfigError extends Error {}

const MAX_PROXY_HOPS = 10;

/**
 * `false`/`0`: no proxy. A whole number: that many proxies in front, each appending to
 * X-Forwarded-For (`true` is kept as 1, what it meant behind one proxy). Otherwise a
 * comma-separated list of proxy addresses or CIDR ranges.
 */
function parseTrustProxy(value: string): TrustProxy {
  const text = value.trim().toLowerCase();
  if (text === 'false') return { hops: 0 };
  if (text === 'true') return { hops: 1 };
  const bad = (why: string) => new ConfigError(`Invalid configuration: TRUST_PROXY=${JSON.stringify(value)}: ${why}`);
  if (/^\d+$/.test(text)) {
    const hops = Number(text);
    if (hops > MAX_PROXY_HOPS) throw bad(`Expected at most ${MAX_PROXY_HOPS} proxy hops`);
    return { hops };
  }
  const addresses = text
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  for (const entry of addresses) {
    const [address = '', prefix, ...rest] = entry.split('/');
    const family = net.isIP(address);
    const maxPrefix = family === 6 ? 128 : 32;
    const prefixOk = prefix === undefined || (/^\d+$/.test(prefix) && Number(prefix) <= maxPrefix);
    if (family === 0 || rest.length > 0 || !prefixOk) {
      throw bad(`Expected false, true, a number of proxy hops, or a list of proxy addresses and CIDR ranges; "${entry}" is neither`);
    }
  }
  if (addresses.length === 0) throw bad('Expected at least one proxy address');
  return { addresses };
}

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
    raw[key] = value;
  }
  const converted = Value.Convert(ConfigSchema, Value.Default(ConfigSchema, raw));
  const firstError = Value.Errors(ConfigSchema, converted).First();
  if (firstError) {
    const key = firstError.path.replace(/^\//, '');
    throw new ConfigError(`Invalid configuration: ${key}=${JSON.stringify(env[key] ?? '')}: ${firstError.message}`);
  }
  const parsed = converted as Static<typeof ConfigSchema>;
  // Node refuses to start a server whose headers may take longer than the whole request.
  if (parsed.HTTP_HEADERS_TIMEOUT_MS > parsed.HTTP_REQUEST_TIMEOUT_MS) {
    throw new ConfigError(
      `Invalid configuration: HTTP_HEADERS_TIMEOUT_MS=${JSON.stringify(env.HTTP_HEADERS_TIMEOUT_MS ?? String(parsed.HTTP_HEADERS_TIMEOUT_MS))}: Expected at most HTTP_REQUEST_TIMEOUT_MS (${parsed.HTTP_REQUEST_TIMEOUT_MS})`,
    );
  }
  const allowedOrigins = parsed.ALLOWED_ORIGINS.split(',')
    .map((o) => o.trim())
    .filter(Boolean);
  if (parsed.PUBLIC_URL) allowedOrigins.push(new URL(parsed.PUBLIC_URL).origin);
  return {
    ...parsed,
    trustProxy: parseTrustProxy(parsed.TRUST_PROXY),
    databaseDialect: parsed.DATABASE_URL ? 'postgres' : 'sqlite',
    sqlitePath: path.resolve(parsed.DATA_DIR, 'parley.db'),
    allowedOrigins,
  };
}
