/**
 * The admin CLI's commands (J6): for the server that has no admin yet, or whose admin is
 * locked out. They work on the configured database directly (the same environment as the
 * server), apply pending migrations first, and record what they do in the audit log as
 * `cli`. Ending sessions here deletes them in the database; with REDIS_URL the running
 * instances are told at once and close those sockets (4003), without Redis the sessions
 * fail on their next request and reconnect.
 */
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Config } from '../config.js';
import { adminRepo } from '../modules/admin/admin.repo.js';
import { createAdmission } from '../modules/admin/admission.js';
import { CLI_ACTOR, recordAudit } from '../modules/admin/audit-log.js';
import { createServerSettings } from '../modules/admin/server-settings.js';
import { createAuthService } from '../modules/auth/auth.service.js';
import { createLoginThrottle } from '../modules/auth/login-throttle.js';
import { createRegistrationLimit } from '../modules/auth/registration-limit.js';
import { createBackup } from '../modules/backup/backup.js';
import { usersRepo } from '../modules/users/users.repo.js';
import { createRedisBus } from '../realtime/redis-bus.js';
import type { Storage } from '../storage/database.js';
import type { Database } from '../storage/schema.js';

export class CliError extends Error {}

export interface CliOutput {
  /** Lines for a person. */
  text: string[];
  /** The same as data, for `--json`. */
  json: unknown;
}

type Flags = Record<string, string | true>;

export const USAGE = `Usage: parley-admin <command> [options]   (npm run admin -- <command> …)

  create-user --username NAME --email ADDRESS [--password P] [--display-name N] [--role admin|moderator|user]
  promote NAME [--role admin|moderator]      make a person admin (default) or moderator
  demote NAME                                make a person a plain user
  suspend NAME --reason TEXT                 end their sessions and refuse sign-in
  unsuspend NAME
  reset-password NAME [--password P]         set a new password (a random one is printed if none); sessions end
  list-rooms                                 groups and rooms with owner, members, messages
  stats                                      people, activity, messages, storage
  backup DIR                                 online backup of the database and files into DIR (server may run)
  restore DIR                                restore a backup into an empty DATA_DIR / database (server stopped)

  --json prints the result as JSON. The database is the server's: DATA_DIR / DATABASE_URL.
  A password may also come from PARLEY_ADMIN_PASSWORD instead of --password.`;

export function parseArgs(argv: string[]): { command: string | undefined; positional: string[]; flags: Flags } {
  const positional: string[] = [];
  const flags: Flags = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg.startsWith('--')) {
      const [key, inline] = arg.slice(2).split('=', 2) as [string, string | undefined];
      const next = argv[i + 1];
      if (inline !== undefined) flags[key] = inline;
      else if (key === 'json' || next === undefined || next.startsWith('--')) flags[key] = true;
      else {
        flags[key] = next;
        i++;
      }
    } else positional.push(arg);
  }
  return { command: positional.shift(), positional, flags };
}

const flag = (flags: Flags, name: string): string | undefined => (typeof flags[name] === 'string' ? (flags[name] as string) : undefined);

function required(flags: Flags, name: string): string {
  const value = flag(flags, name);
  if (!value) throw new CliError(`--${name} is required`);
  return value;
}

function roleOf(value: string | undefined, fallback: 'admin' | 'moderator' | 'user') {
  const role = value ?? fallback;
  if (role !== 'admin' && role !== 'moderator' && role !== 'user')
    throw new CliError(`--role must be admin, moderator or user, not ${role}`);
  return role;
}

async function findUser(db: Kysely<Database>, name: string | undefined) {
  if (!name) throw new CliError('name the person: a username or an email');
  const users = usersRepo(db);
  const login = name.trim().toLowerCase();
  const user = login.includes('@') ? await users.findByEmail(login.normalize('NFC')) : await users.findByUsername(login);
  if (!user || user.deleted_at !== null) throw new CliError(`no such person: ${name}`);
  return user;
}

/** Runs one command against the storage; the caller opens and closes it. */
export async function runAdminCommand(config: Config, storage: Storage, argv: string[]): Promise<CliOutput> {
  const { command, positional, flags } = parseArgs(argv);
  const db = storage.db;
  const repo = adminRepo(db);
  const settings = createServerSettings(db, config);
  const bus = config.REDIS_URL
    ? await createRedisBus({
        url: config.REDIS_URL,
        key: `${config.REDIS_KEY_PREFIX}:bus`,
        instanceId: `cli-${randomBytes(4).toString('hex')}`,
        log: { warn: () => undefined },
      })
    : null;
  const auth = createAuthService(
    storage,
    createLoginThrottle({ accountMaxFailures: 1e9, accountIpMaxFailures: 1e9, ipMaxFailures: 1e9, windowSeconds: 1 }),
    {
      sessionsEnded: (userId, sessionIds) => bus?.publish({ kind: 'control', type: 'sessions.ended', userId, sessionIds }),
      accountDeleted: async () => undefined,
    },
    {
      sessionTtlDays: config.SESSION_TTL_DAYS,
      registrationLimit: createRegistrationLimit({ maxAccounts: 1e9, windowSeconds: 1 }),
      // The operator's accounts are made whatever the sign-up setting; only "first account is admin" applies.
      admission: { ...createAdmission(db, settings), admit: async () => async () => undefined },
    },
  );
  const audit = (action: string, targetType: 'user' | 'server', targetId: string | null, details: Record<string, unknown> = {}) =>
    recordAudit(db, CLI_ACTOR, { action, targetType, targetId, details });
  const password = () => flag(flags, 'password') ?? process.env.PARLEY_ADMIN_PASSWORD;

  try {
    switch (command) {
      case 'create-user': {
        const body = {
          username: required(flags, 'username'),
          email: required(flags, 'email'),
          password: password() ?? '',
          ...(flag(flags, 'display-name') && { displayName: flag(flags, 'display-name') }),
        };
        if (!body.password) throw new CliError('give a password: --password or PARLEY_ADMIN_PASSWORD');
        const created = await auth.createAccountByOperator(body);
        const role = roleOf(flag(flags, 'role'), 'user');
        if (role !== 'user') await repo.setServerRole(created.id, role);
        const user = await repo.user(created.id);
        await audit('user.create', 'user', created.id, { username: created.username, role: user?.server_role });
        return {
          text: [`Created ${created.username} (${created.id}), role ${user?.server_role ?? 'user'}`],
          json: { id: created.id, username: created.username, role: user?.server_role },
        };
      }
      case 'promote':
      case 'demote': {
        const user = await findUser(db, positional[0]);
        const role = command === 'demote' ? 'user' : roleOf(flag(flags, 'role'), 'admin');
        await repo.setServerRole(user.id, role);
        await audit('user.role', 'user', user.id, { username: user.username, from: user.server_role, to: role });
        return { text: [`${user.username} is now ${role}`], json: { id: user.id, username: user.username, role } };
      }
      case 'suspend': {
        const user = await findUser(db, positional[0]);
        const reason = required(flags, 'reason');
        await repo.setSuspension(user.id, Date.now(), reason);
        const ended = await auth.endAllSessions(user.id);
        await audit('user.suspend', 'user', user.id, { username: user.username, reason, sessionsEnded: ended });
        return {
          text: [`Suspended ${user.username}; ${ended} session(s) ended`],
          json: { id: user.id, suspended: true, sessionsEnded: ended },
        };
      }
      case 'unsuspend': {
        const user = await findUser(db, positional[0]);
        await repo.setSuspension(user.id, null, null);
        await audit('user.unsuspend', 'user', user.id, { username: user.username });
        return { text: [`${user.username} may sign in again`], json: { id: user.id, suspended: false } };
      }
      case 'reset-password': {
        const user = await findUser(db, positional[0]);
        const given = password();
        const next = given ?? randomBytes(15).toString('base64url');
        await auth.setPassword(user.id, next);
        await audit('user.password_reset', 'user', user.id, { username: user.username });
        return {
          text: [`New password for ${user.username}${given ? ' set' : `: ${next}`}; every session ended`],
          json: { id: user.id, ...(given ? {} : { password: next }) },
        };
      }
      case 'list-rooms': {
        const rows = await repo.rooms(null, null, 10_000);
        return {
          text: rows.map(
            (r) =>
              `${r.id}  ${r.kind.padEnd(5)}  ${r.name}${r.handle ? ` (#${r.handle})` : ''}  owner ${r.owner_username ?? '—'}  ${r.member_count} members  ${Number(r.message_count ?? 0)} messages${r.archived_at != null ? '  archived' : ''}`,
          ),
          json: rows.map((r) => ({
            id: r.id,
            kind: r.kind,
            name: r.name,
            handle: r.handle,
            owner: r.owner_username,
            members: Number(r.member_count),
            messages: Number(r.message_count ?? 0),
            archived: r.archived_at != null,
          })),
        };
      }
      case 'stats': {
        const at = Date.now();
        const counts = await repo.stats(at, 30);
        const stats = {
          people: counts.total,
          activeToday: counts.active,
          suspended: counts.suspended,
          rooms: counts.rooms,
          messages: counts.messages,
          databaseBytes: await repo.databaseBytes(),
          fileBytes: await repo.fileBytes(),
        };
        return { text: Object.entries(stats).map(([key, value]) => `${key}: ${value}`), json: stats };
      }
      case 'backup': {
        const target = positional[0];
        if (!target) throw new CliError('name the backup directory: backup DIR');
        const manifest = await createBackup(config, target);
        await audit('server.backup', 'server', null, { target, files: manifest.files });
        return { text: [`Backup of ${manifest.dialect} in ${target}: ${manifest.database}, ${manifest.files} file(s)`], json: manifest };
      }
      default:
        throw new CliError(command ? `unknown command: ${command}\n\n${USAGE}` : USAGE);
    }
  } finally {
    await bus?.close();
  }
}
