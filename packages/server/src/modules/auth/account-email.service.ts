/**
 * Email verification (A3) and password reset (A6). Links and codes are single-use and
 * expire; only their hashes are stored, and the raw token exists only inside the job
 * that mails it (modules/jobs), so it never sits in the database either.
 *
 * A reset request never reveals whether the address has an account, by answer or by
 * timing: the request path only takes rate-limit slots and enqueues a job — the account
 * is looked up by the job, after the answer has gone.
 */
import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import type {
  ChangeEmailBody,
  MailLanguage,
  PasswordResetConfirmBody,
  PasswordResetRequestBody,
  ResendVerificationBody,
  VerifyEmailBody,
} from '@parley/protocol';
import type { Actor } from '../../access/actor.js';
import { now } from '../../clock.js';
import { AppError, notFound } from '../../errors.js';
import { newId } from '../../ids.js';
import type { Storage } from '../../storage/database.js';
import { isUniqueViolation } from '../../storage/unique-violation.js';
import type { JobQueue } from '../jobs/job-queue.js';
import type { Mailer } from '../mail/mailer.js';
import { passwordResetMail, verificationMail } from '../mail/templates.js';
import {
  hasAccountLanguage,
  mailLanguageOf,
  type NotificationSettingsService,
} from '../notification-settings/notification-settings.service.js';
import { type UserRow, usersRepo } from '../users/users.repo.js';
import { normalizeEmail } from './auth.service.js';
import { type EmailTokenRow, emailTokensRepo } from './email-tokens.repo.js';
import { checkPasswordPolicy } from './password-policy.js';
import { hashPassword, verifyPassword } from './passwords.js';
import type { ResetLimits } from './reset-limits.js';
import { sessionsRepo } from './sessions.repo.js';
import { hashToken } from './tokens.js';

/** How long after the request the reset job is due (see requestReset). */
const RESET_JOB_DELAY_MS = 200;

/** Wrong codes typed against one reset email before it stops working. */
export const MAX_CODE_ATTEMPTS = 5;

const invalidToken = () => new AppError('invalid_token', 'This link or code is not valid: it may have expired or been used already');

/** Eight digits, shown as `1234 5678`; typed with or without the space. */
const newCode = () => String(randomInt(0, 100_000_000)).padStart(8, '0');
const hashCode = (tokenId: string, code: string) => createHash('sha256').update(`${tokenId}:${code}`).digest('hex');
const sameHash = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

interface VerifyJob {
  userId: string;
  email: string;
  change: boolean;
}
interface ResetJob {
  email: string;
  language: MailLanguage | null;
}

export interface AccountEmailOptions {
  verifyTtlMs: number;
  resetTtlMs: number;
  /** Where links in emails point (PUBLIC_URL). */
  baseUrl: string;
}

export type AccountEmailService = ReturnType<typeof createAccountEmailService>;

export function createAccountEmailService(deps: {
  storage: Storage;
  jobs: JobQueue;
  mailer: Mailer;
  settings: NotificationSettingsService;
  limits: ResetLimits;
  sessionsEnded(userId: string, sessionIds: string[]): void;
  options: AccountEmailOptions;
}) {
  const { storage, jobs, mailer, settings, limits, options } = deps;
  const db = storage.db;
  const users = usersRepo(db);
  const tokens = emailTokensRepo(db);
  const link = (path: string, token: string) => `${options.baseUrl}${path}?token=${token}`;

  async function issue(user: UserRow, purpose: EmailTokenRow['purpose'], email: string, ttlMs: number, code?: string) {
    const token = randomBytes(32).toString('base64url');
    const id = newId();
    const at = now();
    await db.transaction().execute(async (trx) => {
      await emailTokensRepo(trx).deleteUnused(user.id, purpose);
      await emailTokensRepo(trx).insert({
        id,
        user_id: user.id,
        purpose,
        token_hash: hashToken(token),
        code_hash: code ? hashCode(id, code) : null,
        email,
        attempts: 0,
        created_at: at,
        expires_at: at + ttlMs,
        used_at: null,
      });
    });
    return token;
  }

  const recipient = async (user: UserRow, email: string, fallback: MailLanguage | null = null) => {
    const row = await settings.settingsOf(user.id);
    // No settings yet: the language the request asked in, else the default.
    const language = row.updated_at === 0 && fallback && !hasAccountLanguage(user) ? fallback : mailLanguageOf(user, row);
    return { email, name: user.display_name, language };
  };

  async function findLiveUserByEmail(email: string): Promise<UserRow | undefined> {
    const user = (await users.findByEmail(email)) ?? (await users.findByEmail(email.normalize('NFD')));
    return user && user.deleted_at === null ? user : undefined;
  }

  jobs.handle('mail.verify', async (payload) => {
    const job = payload as VerifyJob;
    const user = await users.findById(job.userId);
    if (!user || user.deleted_at !== null) return;
    // The account's own address, already confirmed: nothing to send.
    if (!job.change && (user.email !== job.email || user.email_verified_at !== null)) return;
    const token = await issue(user, 'verify', job.email, options.verifyTtlMs);
    const hours = Math.round(options.verifyTtlMs / 3_600_000);
    await mailer.send(verificationMail(await recipient(user, job.email), link('/verify-email', token), hours, job.change));
  });

  jobs.handle('mail.reset', async (payload) => {
    const job = payload as ResetJob;
    const user = await findLiveUserByEmail(job.email);
    if (!user?.email) return;
    const code = newCode();
    const token = await issue(user, 'reset', user.email, options.resetTtlMs, code);
    const minutes = Math.round(options.resetTtlMs / 60_000);
    const to = await recipient(user, user.email, job.language);
    await mailer.send(passwordResetMail(to, link('/reset-password', token), `${code.slice(0, 4)} ${code.slice(4)}`, minutes));
  });

  jobs.handle('mail.verify-address', async (payload) => {
    const { email } = payload as { email: string };
    const user = await findLiveUserByEmail(email);
    if (!user?.email || user.email_verified_at !== null) return;
    await jobs.enqueue('mail.verify', { userId: user.id, email: user.email, change: false } satisfies VerifyJob, {
      uniqueKey: `mail.verify:${user.id}`,
    });
  });

  const sendVerification = (user: UserRow) =>
    jobs.enqueue('mail.verify', { userId: user.id, email: user.email ?? '', change: false } satisfies VerifyJob, {
      uniqueKey: `mail.verify:${user.id}`,
    });

  async function liveToken(token: string, purpose: EmailTokenRow['purpose']): Promise<EmailTokenRow> {
    const row = await tokens.findByHash(hashToken(token));
    if (!row || row.purpose !== purpose || row.used_at !== null || Number(row.expires_at) < now()) throw invalidToken();
    return row;
  }

  /** The reset token a typed code belongs to; a wrong code counts against it, and enough wrong ones end it. */
  async function tokenByCode(email: string, code: string): Promise<EmailTokenRow> {
    const user = await findLiveUserByEmail(normalizeEmail(email));
    const row = user ? await tokens.latestUnused(user.id, 'reset') : undefined;
    const digits = code.replace(/[\s-]/g, '');
    if (!row || Number(row.expires_at) < now() || row.code_hash === null) throw invalidToken();
    if (sameHash(row.code_hash, hashCode(row.id, digits))) return row;
    const counted = await tokens.countAttempt(row.id);
    if ((counted?.attempts ?? MAX_CODE_ATTEMPTS) >= MAX_CODE_ATTEMPTS) await tokens.markUsed(row.id, now());
    throw invalidToken();
  }

  return {
    /** After sign-up: the first verification email. */
    sendVerification,

    async resend(actor: Actor | null, body: ResendVerificationBody, ip: string): Promise<void> {
      if (actor) {
        const user = await users.findById(actor.userId);
        if (!user || user.deleted_at !== null) throw notFound('user_not_found', 'User');
        if (user.email && user.email_verified_at === null) await sendVerification(user);
        return;
      }
      if (!body.email)
        throw new AppError('validation_failed', 'email is required when signed out', {
          location: 'body',
          field: 'email',
          rule: 'required',
        });
      // Signed out (sign-in refused for an unverified address): the same answer for any address.
      const email = normalizeEmail(body.email);
      await limits.request(email, ip);
      await jobs.enqueue(
        'mail.verify-address',
        { email },
        { uniqueKey: `mail.verify-address:${email}`, runAt: now() + RESET_JOB_DELAY_MS },
      );
    },

    async verify(body: VerifyEmailBody): Promise<void> {
      const row = await liveToken(body.token, 'verify');
      const user = await users.findById(row.user_id);
      if (!user || user.deleted_at !== null) throw invalidToken();
      const at = now();
      try {
        await db.transaction().execute(async (trx) => {
          if (!(await emailTokensRepo(trx).markUsed(row.id, at))) throw invalidToken();
          // A change takes effect only now, with the new address proven.
          await usersRepo(trx).update(user.id, { email: row.email, email_verified_at: at, updated_at: at });
        });
      } catch (error) {
        if (isUniqueViolation(error, 'email'))
          throw new AppError('email_taken', 'email is already registered', { location: 'body', field: 'email', rule: 'unique' });
        throw error;
      }
    },

    async changeEmail(actor: Actor, body: ChangeEmailBody): Promise<void> {
      const user = await users.findById(actor.userId);
      if (!user || user.deleted_at !== null) throw notFound('user_not_found', 'User');
      if (!user.password_hash || !(await verifyPassword(user.password_hash, body.password))) {
        throw new AppError('invalid_credentials', 'password is not correct', { location: 'body', field: 'password', rule: 'password' });
      }
      const email = normalizeEmail(body.email);
      if (email === user.email) return;
      if (await findLiveUserByEmail(email))
        throw new AppError('email_taken', 'email is already registered', { location: 'body', field: 'email', rule: 'unique' });
      await jobs.enqueue('mail.verify', { userId: user.id, email, change: true } satisfies VerifyJob);
    },

    async requestReset(body: PasswordResetRequestBody, ip: string): Promise<void> {
      const email = normalizeEmail(body.email);
      await limits.request(email, ip);
      // Due a moment later, not at once: the job's look-up (more work for a real account)
      // then cannot run in the tail of this request and show in its timing.
      await jobs.enqueue('mail.reset', { email, language: body.language ?? null } satisfies ResetJob, {
        runAt: now() + RESET_JOB_DELAY_MS,
      });
    },

    async confirmReset(body: PasswordResetConfirmBody, ip: string): Promise<void> {
      await limits.attempt(ip);
      let row: EmailTokenRow;
      if (body.token) row = await liveToken(body.token, 'reset');
      else if (body.email && body.code) row = await tokenByCode(body.email, body.code);
      else
        throw new AppError('validation_failed', 'token, or email and code, are required', {
          location: 'body',
          field: 'token',
          rule: 'required',
        });
      const user = await users.findById(row.user_id);
      if (!user || user.deleted_at !== null) throw invalidToken();
      checkPasswordPolicy(body.password, 'password', [user.username, user.email ?? '']);
      const ended = (await sessionsRepo(db).listByUser(user.id)).map((s) => s.id);
      const passwordHash = await hashPassword(body.password);
      const at = now();
      await db.transaction().execute(async (trx) => {
        if (!(await emailTokensRepo(trx).markUsed(row.id, at))) throw invalidToken();
        // Following the emailed link proves the address too.
        await usersRepo(trx).update(user.id, {
          password_hash: passwordHash,
          updated_at: at,
          ...(user.email === row.email && user.email_verified_at === null && { email_verified_at: at }),
        });
        await sessionsRepo(trx).deleteAllOfUser(user.id);
      });
      deps.sessionsEnded(user.id, ended);
    },
  };
}
