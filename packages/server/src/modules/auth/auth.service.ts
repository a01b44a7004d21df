/**
 * Accounts and sessions (A1, A2, A4, A5, A7, A9): register, login, logout, sessions,
 * password change, account deletion, and resolving a token to an actor.
 */
import {
  type AuthResult,
  BOT_TOKEN_PREFIX,
  type ChangePasswordBody,
  type LoginBody,
  type RegisterBody,
  type SessionList,
} from '@parley/protocol';
import type { Actor } from '../../access/actor.js';
import { now, toIso } from '../../clock.js';
import { AppError, notFound } from '../../errors.js';
import { newId } from '../../ids.js';
import type { Storage } from '../../storage/database.js';
import { isUniqueViolation } from '../../storage/unique-violation.js';
import { presentMe } from '../users/users.present.js';
import { type UserRow, usersRepo } from '../users/users.repo.js';
import type { LoginThrottle } from './login-throttle.js';
import { checkPasswordPolicy } from './password-policy.js';
import { decoyVerify, hashPassword, verifyPassword } from './passwords.js';
import type { RegistrationLimit } from './registration-limit.js';
import type { SessionCache } from './session-cache.js';
import { sessionsRepo } from './sessions.repo.js';
import { hashToken, newSessionToken } from './tokens.js';

/** Where a request came from, recorded on the session it creates. */
export interface ClientInfo {
  ip: string;
  userAgent: string;
  /** The request's Accept-Language: the first language of the account's emails. */
  acceptLanguage?: string;
}

export interface AccountEvents {
  /** Every socket of these sessions must close: they no longer authenticate. */
  sessionsEnded(userId: string, sessionIds: string[]): void;
  /** The account is gone; anything it owned must be handed over or removed. */
  accountDeleted(userId: string): Promise<void>;
  /** A new account exists (settings, the verification email). */
  accountCreated?(user: UserRow, client: ClientInfo): Promise<void>;
}

/**
 * The server's admission rules (modules/admin): who may sign up (open, invite-only,
 * closed), the first account becoming admin, and the stored "require email verification"
 * setting, which adds to REQUIRE_EMAIL_VERIFICATION.
 */
export interface Admission {
  /** Throws when sign-up is closed or the invite does not hold; returns how to give the invite back. */
  admit(invite: string | undefined): Promise<() => Promise<void>>;
  accountCreated(userId: string): Promise<void>;
  requireEmailVerification(): Promise<boolean>;
}

const DAY_MS = 86_400_000;
/** Sliding expiry is refreshed at most this often, so reads don't write on every request. */
const TOUCH_INTERVAL_MS = 60_000;

/**
 * One spelling per address: trimmed, lowercased (the whole address, as before) and in NFC,
 * so `café@` typed with a precomposed é or with e + a combining accent is one account.
 */
export const normalizeEmail = (email: string) => email.trim().toLowerCase().normalize('NFC');
export const normalizeUsername = (username: string) => username.trim().toLowerCase();
/** What a typed login (username or email) is looked up as. */
const normalizeLogin = (login: string) => login.trim().toLowerCase().normalize('NFC');

/**
 * Addresses stored before emails were normalised to NFC may be in another form; they are
 * found under the decomposed form too, until a migration rewrites them.
 */
const storedEmailForms = (email: string) => [...new Set([email, email.normalize('NFD')])];

const emailNotVerified = () =>
  new AppError('email_not_verified', 'Confirm your email address first: follow the link we emailed you', { verificationSent: true });

export type AuthService = ReturnType<typeof createAuthService>;

export function createAuthService(
  storage: Storage,
  throttle: LoginThrottle,
  events: AccountEvents,
  options: {
    sessionTtlDays: number;
    registrationLimit: RegistrationLimit;
    requireEmailVerification?: boolean;
    admission?: Admission;
    botTokens?: { authenticate(token: string): Promise<Actor | null> };
    /** SQLite: live sessions kept in memory (session-cache.ts); the caller tells `sessionsEnded`. */
    sessionCache?: SessionCache;
  },
) {
  const users = usersRepo(storage.db);
  const sessions = sessionsRepo(storage.db);
  const ttlMs = options.sessionTtlDays * DAY_MS;
  const mustVerifyEmail = async () =>
    options.requireEmailVerification === true || ((await options.admission?.requireEmailVerification()) ?? false);

  async function startSession(user: UserRow, client: ClientInfo): Promise<AuthResult> {
    const token = newSessionToken();
    const at = now();
    await sessions.insert({
      id: newId(),
      user_id: user.id,
      token_hash: hashToken(token),
      user_agent: client.userAgent.slice(0, 512),
      ip: client.ip,
      created_at: at,
      last_seen_at: at,
      expires_at: at + ttlMs,
    });
    return { user: presentMe(user), token };
  }

  async function requirePassword(user: UserRow, password: string, field: string) {
    if (!user.password_hash || !(await verifyPassword(user.password_hash, password))) {
      throw new AppError('invalid_credentials', `${field} is not correct`, { location: 'body', field, rule: 'password' });
    }
  }

  async function findByEmail(email: string): Promise<UserRow | undefined> {
    for (const form of storedEmailForms(email)) {
      const user = await users.findByEmail(form);
      if (user) return user;
    }
    return undefined;
  }

  async function listSessionIds(userId: string) {
    return (await sessions.listByUser(userId)).map((s) => s.id);
  }

  /** The account row, checked and inserted; the first account of a server becomes its admin. */
  async function insertAccount(body: RegisterBody, verifiedAt: number | null = null): Promise<UserRow> {
    const username = normalizeUsername(body.username);
    const email = normalizeEmail(body.email);
    checkPasswordPolicy(body.password, 'password', [username, email, email.split('@')[0] ?? '']);
    if (await users.findByUsername(username)) {
      throw new AppError('username_taken', `username "${username}" is taken`, { location: 'body', field: 'username', rule: 'unique' });
    }
    if (await findByEmail(email)) {
      throw new AppError('email_taken', 'email is already registered', { location: 'body', field: 'email', rule: 'unique' });
    }
    const at = now();
    const displayName = body.displayName?.trim() || username;
    const user: UserRow = {
      id: newId(),
      username,
      email,
      display_name: displayName,
      display_name_search: displayName.toLowerCase(),
      status_text: '',
      bio: '',
      password_hash: await hashPassword(body.password),
      event_seq: 0,
      created_at: at,
      updated_at: at,
      deleted_at: null,
      last_seen_at: null,
      avatar_id: null,
      language: null,
      email_verified_at: verifiedAt,
      server_role: 'user',
      suspended_at: null,
      suspended_reason: null,
      bot_owner_id: null,
    };
    try {
      await users.insert(user);
    } catch (error) {
      // Two registrations raced past the checks above; the unique index decides.
      if (isUniqueViolation(error, 'username'))
        throw new AppError('username_taken', `username "${username}" is taken`, { location: 'body', field: 'username', rule: 'unique' });
      if (isUniqueViolation(error, 'email'))
        throw new AppError('email_taken', 'email is already registered', { location: 'body', field: 'email', rule: 'unique' });
      throw error;
    }
    await options.admission?.accountCreated(user.id);
    return user;
  }

  /** Anonymised profile (messages keep a "Deleted user" author), every session ended, owned chats handed over. */
  async function eraseAccount(user: UserRow): Promise<void> {
    const ended = await listSessionIds(user.id);
    await events.accountDeleted(user.id);
    const at = now();
    await storage.db.transaction().execute(async (trx) => {
      await usersRepo(trx).update(user.id, {
        username: `deleted.${user.id.replace(/-/g, '').slice(-20)}`,
        email: null,
        display_name: 'Deleted user',
        display_name_search: '',
        status_text: '',
        bio: '',
        password_hash: null,
        deleted_at: at,
        updated_at: at,
      });
      await sessionsRepo(trx).deleteAllOfUser(user.id);
    });
    events.sessionsEnded(user.id, ended);
  }

  async function endAllSessions(userId: string): Promise<number> {
    const ended = await listSessionIds(userId);
    await sessions.deleteAllOfUser(userId);
    events.sessionsEnded(userId, ended);
    return ended.length;
  }

  async function createAccount(body: RegisterBody, client: ClientInfo): Promise<AuthResult> {
    const user = await insertAccount(body);
    await events.accountCreated?.(user, client);
    // REQUIRE_EMAIL_VERIFICATION: the account exists, but no session until the link is followed.
    if (await mustVerifyEmail()) throw emailNotVerified();
    return startSession(user, client);
  }

  return {
    async register(body: RegisterBody, client: ClientInfo): Promise<AuthResult> {
      const slot = await options.registrationLimit.take(client.ip);
      let releaseInvite: () => Promise<void> = async () => undefined;
      try {
        releaseInvite = (await options.admission?.admit(body.invite)) ?? releaseInvite;
        return await createAccount(body, client);
      } catch (error) {
        if (!(error instanceof AppError && error.code === 'email_not_verified')) await releaseInvite();
        // An account created but waiting for verification still counts against the address.
        if (!(error instanceof AppError && error.code === 'email_not_verified')) await slot.release();
        throw error;
      }
    },

    async login(body: LoginBody, client: ClientInfo): Promise<AuthResult> {
      const login = normalizeLogin(body.login);
      const found = login.includes('@') ? await findByEmail(login) : await users.findByUsername(login);
      const user = found?.password_hash && found.deleted_at === null ? found : undefined;
      // Counted per account, so its username and its email share one budget; an unknown
      // login is counted under what was typed, exactly like an account.
      const attempt = await throttle.begin(user ? `user:${user.id}` : `login:${login}`, client.ip);
      const ok = user?.password_hash ? await verifyPassword(user.password_hash, body.password) : await decoyVerify(body.password);
      if (!user || !ok) throw new AppError('invalid_credentials', 'login or password is not correct');
      await attempt.succeeded();
      // After the password, so the answer tells nothing to someone without it.
      if (user.email_verified_at === null && (await mustVerifyEmail())) throw emailNotVerified();
      if (user.suspended_at != null)
        throw new AppError('account_suspended', 'This account is suspended', { reason: user.suspended_reason ?? '' });
      return startSession(user, client);
    },

    /** Resolves a presented token to the acting user, or null if it is not a live session. */
    async authenticate(token: string): Promise<Actor | null> {
      // Bots present their own tokens (modules/bots), not sessions.
      if (token.startsWith(BOT_TOKEN_PREFIX)) return (await options.botTokens?.authenticate(token)) ?? null;
      const tokenHash = hashToken(token);
      const cache = options.sessionCache;
      if (cache) {
        // Before trusting the cache: has another process (parley-admin) changed the database?
        cache.othersWrote(await sessions.changesByOthers());
        const at = now();
        const kept = cache.get(tokenHash, at);
        if (kept) {
          if (at - kept.lastSeenAt > TOUCH_INTERVAL_MS) {
            await sessions.touch(kept.sessionId, at, at + ttlMs);
            kept.lastSeenAt = at;
            kept.expiresAt = at + ttlMs;
          }
          return { userId: kept.userId, sessionId: kept.sessionId };
        }
      }
      const readAt = cache?.generation() ?? 0;
      const session = await sessions.findByTokenHash(tokenHash);
      const at = now();
      if (!session || session.expires_at < at) return null;
      let { expires_at: expiresAt, last_seen_at: lastSeenAt } = session;
      if (at - lastSeenAt > TOUCH_INTERVAL_MS) {
        await sessions.touch(session.id, at, at + ttlMs);
        lastSeenAt = at;
        expiresAt = at + ttlMs;
      }
      cache?.set(tokenHash, { userId: session.user_id, sessionId: session.id, expiresAt, lastSeenAt }, readAt, at);
      return { userId: session.user_id, sessionId: session.id };
    },

    /** These sessions ended, on this instance or another (`sessions.ended` on the bus): they are refused from now on. */
    sessionsEnded(sessionIds: string[]): void {
      options.sessionCache?.forget(sessionIds);
    },

    async logout(actor: Actor): Promise<void> {
      await sessions.deleteOne(actor.userId, actor.sessionId);
      events.sessionsEnded(actor.userId, [actor.sessionId]);
    },

    async listSessions(actor: Actor): Promise<SessionList> {
      const rows = await sessions.listByUser(actor.userId);
      return {
        items: rows.map((s) => ({
          id: s.id,
          current: s.id === actor.sessionId,
          userAgent: s.user_agent,
          ip: s.ip,
          createdAt: toIso(s.created_at),
          lastSeenAt: toIso(s.last_seen_at),
          expiresAt: toIso(s.expires_at),
        })),
      };
    },

    async revokeSession(actor: Actor, sessionId: string): Promise<void> {
      // Another user's session id answers exactly like a missing one.
      if ((await sessions.deleteOne(actor.userId, sessionId)) === 0) throw notFound('session_not_found', 'Session');
      events.sessionsEnded(actor.userId, [sessionId]);
    },

    async changePassword(actor: Actor, body: ChangePasswordBody): Promise<void> {
      const user = await users.findById(actor.userId);
      if (!user || user.deleted_at !== null) throw notFound('user_not_found', 'User');
      await requirePassword(user, body.oldPassword, 'oldPassword');
      checkPasswordPolicy(body.newPassword, 'newPassword', [user.username, user.email ?? '']);
      const ended = (await listSessionIds(actor.userId)).filter((id) => id !== actor.sessionId);
      await storage.db.transaction().execute(async (trx) => {
        await usersRepo(trx).update(user.id, { password_hash: await hashPassword(body.newPassword), updated_at: now() });
        await sessionsRepo(trx).deleteAllOfUser(user.id, actor.sessionId);
      });
      events.sessionsEnded(actor.userId, ended);
    },

    /**
     * Deletes the account: the profile is anonymised (messages keep an author that says
     * "Deleted user"), every session ends, and owned chats are handed over or removed.
     */
    async deleteAccount(actor: Actor, password: string): Promise<void> {
      const user = await users.findById(actor.userId);
      if (!user || user.deleted_at !== null) throw notFound('user_not_found', 'User');
      await requirePassword(user, password, 'password');
      await eraseAccount(user);
    },

    /** The admin console and CLI: account deletion without the owner's password (access checked by the caller). */
    async eraseAccount(userId: string): Promise<void> {
      const user = await users.findById(userId);
      if (!user || user.deleted_at !== null) throw notFound('user_not_found', 'User');
      await eraseAccount(user);
    },

    /** Ends every session of the user (suspension, an admin's reset); their sockets close with 4003. */
    endAllSessions,

    /** The admin CLI: an account made by the operator, its email taken as verified. */
    createAccountByOperator: (body: RegisterBody) => insertAccount(body, now()),

    /** The admin CLI: a new password (policy checked); every session ends. */
    async setPassword(userId: string, password: string): Promise<void> {
      const user = await users.findById(userId);
      if (!user || user.deleted_at !== null) throw notFound('user_not_found', 'User');
      checkPasswordPolicy(password, 'password', [user.username, user.email ?? '']);
      await users.update(user.id, { password_hash: await hashPassword(password), updated_at: now() });
      await endAllSessions(user.id);
    },
  };
}
