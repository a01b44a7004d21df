/**
 * Builds the notification and email services (issue 14) for services.ts: mail, email
 * verification and password reset, notification settings, Web Push and missed-message
 * emails, each sending through the jobs queue.
 */
import type { Redis } from 'ioredis';
import type { Config } from './config.js';
import { createAccountEmailService } from './modules/auth/account-email.service.js';
import type { ClientInfo } from './modules/auth/auth.service.js';
import { createResetLimits } from './modules/auth/reset-limits.js';
import type { JobQueue } from './modules/jobs/job-queue.js';
import { createDigestService } from './modules/mail/digest.service.js';
import { createMailer, type MailLog } from './modules/mail/mailer.js';
import type { MessagesService } from './modules/messages/messages.service.js';
import { createNotificationSettingsService, languageFromHeader } from './modules/notification-settings/notification-settings.service.js';
import type { PushService } from './modules/push/push.service.js';
import { createPushService, type PeopleRules } from './modules/push/push.service.js';
import type { ThreadsService } from './modules/threads/threads.service.js';
import type { UserRow } from './modules/users/users.repo.js';
import type { Transact } from './realtime/event-log.js';
import type { PresenceTracker } from './realtime/presence.js';
import type { Storage } from './storage/database.js';

/** Where links in emails and notifications point. */
export const publicBaseUrl = (config: Pick<Config, 'PUBLIC_URL' | 'PORT'>) =>
  (config.PUBLIC_URL ?? `http://localhost:${config.PORT}`).replace(/\/+$/, '');

function vapidSubject(config: Config): string {
  if (config.VAPID_SUBJECT) return config.VAPID_SUBJECT;
  if (config.PUBLIC_URL?.startsWith('https://')) return config.PUBLIC_URL;
  const address = /<([^>]+)>/.exec(config.MAIL_FROM)?.[1] ?? config.MAIL_FROM;
  return `mailto:${address.trim()}`;
}

export function createNotificationServices(deps: {
  config: Config;
  storage: Storage;
  transact: Transact;
  jobs: JobQueue;
  presence: PresenceTracker;
  redis: Redis | undefined;
  people: PeopleRules | null;
  sessionsEnded(userId: string, sessionIds: string[]): void;
}) {
  const { config, storage, jobs } = deps;
  const baseUrl = publicBaseUrl(config);
  let log: MailLog | null = null;
  const mailer = createMailer({ smtpUrl: config.SMTP_URL, from: config.MAIL_FROM, log: () => log });
  const notificationSettings = createNotificationSettingsService(storage.db, deps.transact);
  const accountEmail = createAccountEmailService({
    storage,
    jobs,
    mailer,
    settings: notificationSettings,
    limits: createResetLimits({
      perAddress: config.PASSWORD_RESET_ADDRESS_MAX,
      perIp: config.PASSWORD_RESET_IP_MAX,
      windowSeconds: config.PASSWORD_RESET_WINDOW_SECONDS,
      ...(deps.redis && { redis: deps.redis }),
    }),
    sessionsEnded: deps.sessionsEnded,
    options: {
      verifyTtlMs: config.EMAIL_VERIFICATION_TTL_HOURS * 3_600_000,
      resetTtlMs: config.PASSWORD_RESET_TTL_MINUTES * 60_000,
      baseUrl,
    },
  });
  const digest = createDigestService({ storage, jobs, mailer, settings: notificationSettings, baseUrl });
  const push = createPushService({
    db: storage.db,
    jobs,
    presence: deps.presence,
    settings: notificationSettings,
    people: deps.people,
    subject: vapidSubject(config),
    baseUrl,
    onUnreadForDigest: (userId, createdAt) => digest.schedule(userId, createdAt),
    log: () => log,
  });
  return {
    /** A new account: its settings (emails in the browser's language) and the first verification email. */
    async accountCreated(user: UserRow, client: ClientInfo): Promise<void> {
      await notificationSettings.created(user.id, languageFromHeader(client.acceptLanguage));
      await accountEmail.sendVerification(user);
    },
    mailer,
    notificationSettings,
    accountEmail,
    digest,
    push,
    /** The HTTP app's logger, once it exists (what unsent mail is logged to). */
    setLog(logger: MailLog) {
      log = logger;
    },
    async serverInfo() {
      return {
        mail: mailer.configured,
        requireEmailVerification: config.REQUIRE_EMAIL_VERIFICATION,
        vapidPublicKey: await push.vapidPublicKey(),
      };
    },
  };
}

export type NotificationServices = ReturnType<typeof createNotificationServices>;

/**
 * Messages sent (REST and socket alike: both call these methods) get their pushes and
 * missed-message emails decided in a job; a read mark closes pushed notifications.
 * After the commit (and gathered for a few milliseconds per chat, see PushService.messageSent),
 * so a crash in between loses those notifications, never a message.
 */
export function notifyAboutMessages(messages: MessagesService, push: PushService, threads: ThreadsService): void {
  messages.whenSent((message) => push.messageSent(message));
  const markRead = messages.markRead.bind(messages);
  messages.markRead = async (actor, params) => {
    const result = await markRead(actor, params);
    await push.readMarked(actor.userId, result.chatId, result.lastReadSeq);
    return result;
  };
  // Reading a thread closes what was pushed about its replies, as reading a chat does.
  const markThreadRead = threads.markRead.bind(threads);
  threads.markRead = async (actor, params) => {
    const state = await markThreadRead(actor, params);
    await push.threadReadMarked(actor.userId, state.chatId, state.rootId, state.lastReadSeq);
    return state;
  };
}
