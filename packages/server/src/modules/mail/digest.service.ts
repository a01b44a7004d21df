/**
 * Missed-message emails (H3): direct messages and mentions still unread after the
 * person's delay are batched into one email, a line and a link per chat. One pending job
 * per person (`mail.digest:<id>`) collects everything that arrives meanwhile; a watermark
 * (moved compare-and-set, so two runs never mail the same messages) remembers what was
 * already emailed. Quiet hours hold the email until they end. Every email carries a
 * one-click unsubscribe (RFC 8058) signed with a key the server made for itself.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { now } from '../../clock.js';
import { AppError } from '../../errors.js';
import type { Storage } from '../../storage/database.js';
import type { JobQueue } from '../jobs/job-queue.js';
import {
  languageOf,
  mailLanguageOf,
  type NotificationSettingsService,
  scheduleOf,
} from '../notification-settings/notification-settings.service.js';
import { isQuiet, quietEndsAt } from '../notification-settings/quiet-hours.js';
import { pushRepo } from '../push/push.repo.js';
import { usersRepo } from '../users/users.repo.js';
import type { Mailer } from './mailer.js';
import { type DigestChat, digestMail, mentionDetail } from './templates.js';

const MINUTE_MS = 60_000;
const DETAIL_MAX = 140;

export type DigestService = ReturnType<typeof createDigestService>;

export function createDigestService(deps: {
  storage: Storage;
  jobs: JobQueue;
  mailer: Mailer;
  settings: NotificationSettingsService;
  baseUrl: string;
}) {
  const { jobs, settings, baseUrl } = deps;
  const db = deps.storage.db;
  const repo = pushRepo(db);
  const users = usersRepo(db);
  let signingKey: Promise<Buffer> | null = null;

  const key = () => {
    signingKey ??= repo
      .serverKey('unsubscribe', () => randomBytes(32).toString('base64url'), now())
      .then((k) => Buffer.from(k, 'base64url'));
    return signingKey;
  };
  const sign = async (userId: string) =>
    createHmac('sha256', await key())
      .update(`unsubscribe:${userId}`)
      .digest('base64url');

  async function unsubscribeToken(userId: string) {
    return `${Buffer.from(userId).toString('base64url')}.${await sign(userId)}`;
  }

  const later = (userId: string, runAt: number) =>
    jobs.enqueue('mail.digest', { userId }, { runAt, uniqueKey: `mail.digest-later:${userId}` });

  jobs.handle('mail.digest', async (payload) => {
    const { userId } = payload as { userId: string };
    const user = await users.findById(userId);
    if (!user?.email || user.deleted_at !== null) return;
    let row = await settings.settingsOf(userId);
    if (row.email_digest !== 1) return;
    const at = now();
    const schedule = scheduleOf(row);
    if (isQuiet(schedule, at)) {
      await later(userId, quietEndsAt(schedule, at));
      return;
    }
    if (row.updated_at === 0) {
      await settings.created(userId, languageOf(row));
      row = await settings.settingsOf(userId);
    }
    const delayMs = row.digest_delay_minutes * MINUTE_MS;
    const from = Number(row.digest_watermark);
    const until = at - delayMs;
    const due = await repo.unreadForDigest(userId, from, until);
    const younger = await repo.unreadForDigest(userId, Math.max(from, until), at);
    if (younger[0]) await later(userId, Number(younger[0].created_at) + delayMs);
    const newest = due.at(-1);
    if (!newest) return;
    if (!(await repo.advanceWatermark(userId, from, Number(newest.created_at)))) return;
    try {
      await deps.mailer.send(
        digestMail(
          { email: user.email, name: user.display_name, language: mailLanguageOf(user, row) },
          await chatsOf(userId, due, mailLanguageOf(user, row)),
          row.digest_delay_minutes,
          await links(userId),
        ),
      );
    } catch (error) {
      // Not sent: give the messages back to the next attempt.
      await repo.advanceWatermark(userId, Number(newest.created_at), from);
      throw error;
    }
  });

  async function chatsOf(userId: string, due: Awaited<ReturnType<typeof repo.unreadForDigest>>, language: ReturnType<typeof languageOf>) {
    const byChat = new Map<string, DigestChat>();
    for (const m of due) {
      const entry = byChat.get(m.chat_id);
      const sender = m.sender_name ?? '';
      const text = m.text.length > DETAIL_MAX ? `${m.text.slice(0, DETAIL_MAX - 1)}…` : m.text;
      const detail = m.kind === 'direct' ? text : `${mentionDetail(language, sender)}: ${text}`;
      if (entry) {
        entry.unread += 1;
        entry.detail = detail;
        continue;
      }
      const title = m.kind === 'direct' ? ((await repo.otherMember(m.chat_id, userId))?.display_name ?? sender) : m.name;
      byChat.set(m.chat_id, { title, unread: 1, detail, url: `${baseUrl}/chats/${encodeURIComponent(m.chat_id)}` });
    }
    return [...byChat.values()];
  }

  async function links(userId: string) {
    const token = await unsubscribeToken(userId);
    return {
      unsubscribe: `${baseUrl}/unsubscribe?token=${token}`,
      oneClick: `${baseUrl}/api/v1/notifications/unsubscribe?token=${token}`,
      settings: `${baseUrl}/settings`,
    };
  }

  return {
    /** An unread DM or mention for `userId` arrived at `createdAt`: make sure an email is on its way. */
    async schedule(userId: string, createdAt: number): Promise<void> {
      const row = await settings.settingsOf(userId);
      if (row.email_digest !== 1) return;
      await jobs.enqueue(
        'mail.digest',
        { userId },
        { runAt: createdAt + row.digest_delay_minutes * MINUTE_MS, uniqueKey: `mail.digest:${userId}` },
      );
    },

    /** The one-click unsubscribe: missed-message emails off for the person the token was made for. */
    async unsubscribe(token: string): Promise<void> {
      const [id = '', signature = ''] = token.split('.');
      const userId = Buffer.from(id, 'base64url').toString();
      const expected = Buffer.from(await sign(userId));
      const given = Buffer.from(signature);
      if (!userId || expected.length !== given.length || !timingSafeEqual(expected, given)) {
        throw new AppError('invalid_token', 'This unsubscribe link is not valid');
      }
      if (!(await users.findById(userId))) throw new AppError('invalid_token', 'This unsubscribe link is not valid');
      await settings.unsubscribeDigest(userId);
    },
  };
}
