/**
 * Each person's notification settings (H2, H3, quiet hours): the language of their
 * emails, missed-message emails and their delay, the quiet-hours schedule, "do not
 * disturb until …", and per-chat push levels. Every change is an event on the person's
 * own stream (`notifications.updated`), so all their devices show it at once.
 */
import {
  type ChatPushLevel,
  type ChatPushLevelBody,
  type ChatPushLevelList,
  MAIL_LANGUAGES,
  type MailLanguage,
  type NotificationSettings,
  type PushLevel,
  type QuietPeriod,
  type UpdateNotificationSettingsBody,
} from '@parley/protocol';
import type { Kysely } from 'kysely';
import type { Actor } from '../../access/actor.js';
import { requireMember } from '../../access/chat-access.js';
import { now, toIso } from '../../clock.js';
import { validationFailed } from '../../errors.js';
import type { Transact } from '../../realtime/event-log.js';
import type { Database } from '../../storage/schema.js';
import { type NotificationSettingsRow, notificationSettingsRepo } from './notification-settings.repo.js';
import { isQuiet, isTimeZone, type QuietSchedule } from './quiet-hours.js';

export const DEFAULT_DIGEST_DELAY_MINUTES = 15;

const isLanguage = (value: string): value is MailLanguage => (MAIL_LANGUAGES as readonly string[]).includes(value);

/** The first supported language of an Accept-Language header, else English. */
export function languageFromHeader(header: string | undefined): MailLanguage {
  for (const entry of (header ?? '').split(',')) {
    const primary = entry.split(';')[0]?.trim().toLowerCase().split('-')[0] ?? '';
    if (isLanguage(primary)) return primary;
  }
  return 'en';
}

export function defaultSettings(userId: string, language: MailLanguage = 'en'): NotificationSettingsRow {
  return {
    user_id: userId,
    language,
    time_zone: 'UTC',
    email_digest: 1,
    digest_delay_minutes: DEFAULT_DIGEST_DELAY_MINUTES,
    quiet_hours: '[]',
    dnd_until: null,
    quiet_allow_starred: 0,
    digest_watermark: 0,
    updated_at: 0,
  };
}

export const languageOf = (row: NotificationSettingsRow): MailLanguage => (isLanguage(row.language) ? row.language : 'en');

/** The account's chosen app language (issue 17's `users.language`), when it has one. */
export const hasAccountLanguage = (user: { language?: string | null }) => typeof user.language === 'string' && isLanguage(user.language);

/**
 * The language someone's emails are in: the app language chosen for the account, else the
 * one their app last showed (kept in the settings by the web app), else English.
 */
export const mailLanguageOf = (user: { language?: string | null }, row: NotificationSettingsRow): MailLanguage =>
  typeof user.language === 'string' && isLanguage(user.language) ? user.language : languageOf(row);

export const scheduleOf = (row: NotificationSettingsRow): QuietSchedule => ({
  periods: JSON.parse(row.quiet_hours) as QuietPeriod[],
  timeZone: row.time_zone,
  dndUntil: row.dnd_until === null ? null : Number(row.dnd_until),
});

export function presentSettings(row: NotificationSettingsRow, at = now()): NotificationSettings {
  const schedule = scheduleOf(row);
  return {
    language: languageOf(row),
    timeZone: row.time_zone,
    emailDigest: row.email_digest === 1,
    digestDelayMinutes: row.digest_delay_minutes,
    quietHours: schedule.periods,
    doNotDisturbUntil: schedule.dndUntil !== null && schedule.dndUntil > at ? toIso(schedule.dndUntil) : null,
    quietAllowStarred: row.quiet_allow_starred === 1,
    quietNow: isQuiet(schedule, at),
  };
}

/** DMs notify about every message by default; groups and rooms only about mentions. */
export const defaultLevel = (chatKind: string): PushLevel => (chatKind === 'direct' ? 'all' : 'mentions');

export type NotificationSettingsService = ReturnType<typeof createNotificationSettingsService>;

export function createNotificationSettingsService(db: Kysely<Database>, transact: Transact) {
  const repo = notificationSettingsRepo(db);

  async function settingsOf(userId: string): Promise<NotificationSettingsRow> {
    return (await repo.find(userId)) ?? defaultSettings(userId);
  }

  return {
    settingsOf,

    async settingsOfMany(userIds: string[]): Promise<Map<string, NotificationSettingsRow>> {
      const rows = new Map((await repo.findMany(userIds)).map((r) => [r.user_id, r]));
      for (const id of userIds) if (!rows.has(id)) rows.set(id, defaultSettings(id));
      return rows;
    },

    /** At sign-up: emails start in the language the browser asked for. */
    async created(userId: string, language: MailLanguage): Promise<void> {
      if (await repo.find(userId)) return;
      await repo.upsert({ ...defaultSettings(userId, language), updated_at: now() });
    },

    async get(actor: Actor): Promise<NotificationSettings> {
      return presentSettings(await settingsOf(actor.userId));
    },

    async update(actor: Actor, body: UpdateNotificationSettingsBody): Promise<NotificationSettings> {
      if (body.timeZone !== undefined && !isTimeZone(body.timeZone))
        throw validationFailed('timeZone', 'timeZone', 'timeZone is not a known IANA time zone');
      const current = await settingsOf(actor.userId);
      const next: NotificationSettingsRow = {
        ...current,
        ...(body.language !== undefined && { language: body.language }),
        ...(body.timeZone !== undefined && { time_zone: body.timeZone }),
        ...(body.emailDigest !== undefined && { email_digest: body.emailDigest ? 1 : 0 }),
        ...(body.digestDelayMinutes !== undefined && { digest_delay_minutes: body.digestDelayMinutes }),
        ...(body.quietHours !== undefined && { quiet_hours: JSON.stringify(body.quietHours) }),
        ...(body.doNotDisturbUntil !== undefined && {
          dnd_until: body.doNotDisturbUntil === null ? null : Date.parse(body.doNotDisturbUntil),
        }),
        ...(body.quietAllowStarred !== undefined && { quiet_allow_starred: body.quietAllowStarred ? 1 : 0 }),
        updated_at: now(),
      };
      const settings = presentSettings(next);
      await transact(async (uow) => {
        await notificationSettingsRepo(uow.db).upsert(next);
        await uow.emit({ name: 'notifications.updated', userId: actor.userId, data: { settings } });
      });
      return settings;
    },

    /** Turns missed-message emails off (the unsubscribe link); quiet when already off. */
    async unsubscribeDigest(userId: string): Promise<void> {
      const current = await settingsOf(userId);
      if (current.email_digest === 0 && current.updated_at !== 0) return;
      const next = { ...current, email_digest: 0, updated_at: now() };
      await transact(async (uow) => {
        await notificationSettingsRepo(uow.db).upsert(next);
        await uow.emit({ name: 'notifications.updated', userId, data: { settings: presentSettings(next) } });
      });
    },

    async chatLevels(actor: Actor): Promise<ChatPushLevelList> {
      const rows = await repo.chatLevels(actor.userId);
      return { items: rows.map((r) => ({ chatId: r.chat_id, level: r.level, effective: r.level })) };
    },

    async setChatLevel(actor: Actor, chatId: string, body: ChatPushLevelBody): Promise<ChatPushLevel> {
      const { chat } = await requireMember(db, actor, chatId);
      const chatLevel: ChatPushLevel = {
        chatId: chat.id,
        level: body.level,
        effective: body.level === 'default' ? defaultLevel(chat.kind) : body.level,
      };
      await transact(async (uow) => {
        const r = notificationSettingsRepo(uow.db);
        if (body.level === 'default') await r.clearChatLevel(chat.id, actor.userId);
        else await r.setChatLevel(chat.id, actor.userId, body.level);
        await uow.emit({ name: 'notifications.updated', userId: actor.userId, data: { chatLevel } });
      });
      return chatLevel;
    },

    /** Each recipient's push level in a chat: their own choice, else the chat kind's default. */
    async levelsIn(chatId: string, chatKind: string, userIds: string[]): Promise<Map<string, PushLevel>> {
      const chosen = new Map((await repo.chatLevelsOf(chatId, userIds)).map((r) => [r.user_id, r.level]));
      return new Map(userIds.map((id) => [id, chosen.get(id) ?? defaultLevel(chatKind)]));
    },

    setWatermark: (userId: string, watermark: number) => repo.setWatermark(userId, watermark),
  };
}
