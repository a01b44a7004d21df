/**
 * Web Push (H2): VAPID keys made at first start and kept in the database, one
 * subscription per device, and the decision who gets a push for a new message — DMs and
 * mentions by default, per chat all / mentions / nothing; never for a muted chat, a
 * blocked sender, someone active on a device right now (connected and not away), someone
 * who already read it, or during quiet hours (unless a starred contact's DM may come
 * through). Reading a chat elsewhere sends a `close` push so the service worker removes
 * that chat's notification.
 *
 * A reply only in a thread is judged as Slack does: it is for the people who follow the
 * thread and those it mentions, not for every member (a chat at "all" does not push it),
 * and it is read when the thread is read — the chat's read position says nothing of it.
 * Reading the thread closes its notification (`close` with `threadRootId`).
 *
 * Every push is a job (`push.deliver`), retried with backoff when the push service
 * answers 429 or 5xx; a 404 or 410 means the browser dropped the subscription, which is
 * then deleted.
 */
import type { Message, PushDevice, PushDeviceList, PushPayload, PushSubscriptionBody } from '@parley/protocol';
import type { Kysely } from 'kysely';
import webPush from 'web-push';
import type { Actor } from '../../access/actor.js';
import type { MessageRow } from '../../access/chat-access.js';
import { now, toIso } from '../../clock.js';
import { notFound } from '../../errors.js';
import { newId } from '../../ids.js';
import type { PresenceTracker } from '../../realtime/presence.js';
import type { Database } from '../../storage/schema.js';
import type { JobQueue } from '../jobs/job-queue.js';
import type { NotificationSettingsService } from '../notification-settings/notification-settings.service.js';
import { scheduleOf } from '../notification-settings/notification-settings.service.js';
import { isQuiet, quietEndsAt } from '../notification-settings/quiet-hours.js';
import { type PushSubscriptionRow, pushRepo } from './push.repo.js';

/** What push needs of people (issue 13's contacts service): blocks and stars. */
export interface PeopleRules {
  isBlocked(blockerId: string, otherId: string): Promise<boolean>;
  isStarred(ownerId: string, otherId: string): Promise<boolean>;
}

export interface VapidKeys {
  publicKey: string;
  privateKey: string;
}

interface MessageJob {
  chatId: string;
  messageIds: string[];
}
interface HeldJob {
  userId: string;
  chatId: string;
  /** Held replies only in this thread (absent: the chat's timeline). */
  rootId?: string;
}
interface DeliverJob {
  subscriptionId: string;
  payload: PushPayload;
}

const PUSH_TTL_SECONDS = 86_400;
/** How long new messages of a chat are gathered into one notification job. */
const COALESCE_MS = 20;
const BODY_MAX = 180;

/** The root of a reply shown only in its thread; null for a message on the chat's timeline. */
const threadOnly = (message: MessageRow) => (message.thread_root_id && message.also_to_chat !== 1 ? message.thread_root_id : null);

const shorten = (text: string) => (text.length > BODY_MAX ? `${text.slice(0, BODY_MAX - 1)}…` : text);

/** A permanent refusal of this subscription by the push service. */
const GONE = new Set([404, 410]);

export type PushService = ReturnType<typeof createPushService>;

export function createPushService(deps: {
  db: Kysely<Database>;
  jobs: JobQueue;
  presence: PresenceTracker;
  settings: NotificationSettingsService;
  people: PeopleRules | null;
  /** VAPID `sub`: mailto: or https: of whoever runs this server. */
  subject: string;
  baseUrl: string;
  /** Messages in DMs and mentions also schedule a missed-message email for their recipients. */
  onUnreadForDigest(userId: string, createdAt: number): Promise<void>;
  log(): { warn(obj: object, msg: string): void } | null;
}) {
  const { db, jobs, presence, settings } = deps;
  const activeSomewhere = (userId: string) => presence.status(userId) === 'online';
  const repo = pushRepo(db);
  let keys: Promise<VapidKeys> | null = null;
  const pending = new Map<string, string[]>();
  let flushTimer: NodeJS.Timeout | null = null;

  async function flush(): Promise<void> {
    if (flushTimer) clearTimeout(flushTimer);
    flushTimer = null;
    const batch = [...pending];
    pending.clear();
    for (const [chatId, messageIds] of batch) {
      await jobs
        .enqueue('push.message', { chatId, messageIds } satisfies MessageJob)
        .catch((error: unknown) => deps.log()?.warn({ err: error, chatId }, 'could not queue notifications for new messages'));
    }
  }

  function vapidKeys(): Promise<VapidKeys> {
    keys ??= (async () => {
      const made = webPush.generateVAPIDKeys();
      const at = now();
      const stored = await repo.serverKey('vapid', () => JSON.stringify(made), at);
      return JSON.parse(stored) as VapidKeys;
    })();
    // A failed read is tried again on the next call.
    keys.catch(() => {
      keys = null;
    });
    return keys;
  }

  const presentDevice = (row: PushSubscriptionRow): PushDevice => ({
    id: row.id,
    deviceName: row.device_name,
    service: new URL(row.endpoint).origin,
    createdAt: toIso(Number(row.created_at)),
  });

  async function enqueueToAll(userId: string, payload: PushPayload) {
    for (const sub of await repo.subscriptionsOf(userId)) {
      await jobs.enqueue('push.deliver', { subscriptionId: sub.id, payload } satisfies DeliverJob);
    }
  }

  /** When quiet hours that hold this person's notification about a message from `senderId` end; null when nothing holds it. */
  async function quietUntil(userId: string, senderId: string, direct: boolean, at: number): Promise<number | null> {
    const row = await settings.settingsOf(userId);
    const schedule = scheduleOf(row);
    if (!isQuiet(schedule, at)) return null;
    const starredThrough =
      row.quiet_allow_starred === 1 && direct && deps.people !== null && (await deps.people.isStarred(userId, senderId));
    return starredThrough ? null : quietEndsAt(schedule, at);
  }

  function messagePush(chat: { id: string; kind: string; name: string }, message: MessageRow, senderName: string): PushPayload {
    const direct = chat.kind === 'direct';
    const rootId = threadOnly(message);
    return {
      ...(rootId && { threadRootId: rootId }),
      type: 'message',
      chatId: chat.id,
      messageId: message.id,
      seq: Number(message.seq),
      title: direct ? senderName : chat.name,
      body: shorten(direct ? message.text : `${senderName}: ${message.text}`),
      // A reply only in a thread opens that thread beside its chat (the web app's `?thread=` link).
      url: `${deps.baseUrl}/chats/${encodeURIComponent(chat.id)}${rootId ? `?thread=${encodeURIComponent(rootId)}` : ''}`,
    };
  }

  async function pushMessage(userId: string, chat: { id: string; kind: string; name: string }, message: MessageRow, senderName: string) {
    const rootId = threadOnly(message);
    if (rootId) await repo.markPushedInThread(userId, chat.id, rootId, Number(message.seq));
    else await repo.markPushed(userId, chat.id, Number(message.seq));
    await enqueueToAll(userId, messagePush(chat, message, senderName));
  }

  jobs.handle('push.message', async (payload) => {
    const job = payload as MessageJob;
    const chat = await repo.chat(job.chatId);
    if (!chat) return;
    const messages = (await repo.messages(job.messageIds)).filter((m) => m.deleted_at === null && m.kind === 'text' && m.sender_id);
    if (messages.length === 0) return;
    const direct = chat.kind === 'direct';
    const members = await repo.members(chat.id);
    const levels = await settings.levelsIn(
      chat.id,
      chat.kind,
      members.map((r) => r.id),
    );
    const threadMembers = new Map<string, Awaited<ReturnType<typeof repo.threadMembers>>>();
    const senderNames = new Map<string, string>();
    const blocked = new Map<string, boolean>();
    const held = new Map<string, number | null>();
    // One missed-message email per person, from their earliest message in this batch.
    const digestFrom = new Map<string, number>();
    const at = now();
    for (const message of messages.sort((a, b) => Number(a.seq) - Number(b.seq))) {
      const senderId = message.sender_id ?? '';
      const mentioned = new Set<string>(JSON.parse(message.mentions) as string[]);
      const rootId = message.thread_root_id;
      if (rootId && !threadMembers.has(rootId)) threadMembers.set(rootId, await repo.threadMembers(rootId));
      const inThread = rootId ? threadMembers.get(rootId) : undefined;
      const onlyInThread = threadOnly(message) !== null;
      for (const r of members) {
        if (r.id === senderId || r.muted === 1) continue;
        if (message.private_to !== null && r.id !== message.private_to) continue;
        const thread = inThread?.get(r.id);
        // Read where it shows: a reply only in the thread by the thread's read position alone.
        if (!onlyInThread && Number(r.last_read_seq) >= Number(message.seq)) continue;
        if ((thread?.lastReadSeq ?? 0) >= Number(message.seq)) continue;
        const isMention = Number(message.mentions_all) === 1 || mentioned.has(r.id);
        const level = levels.get(r.id) ?? 'mentions';
        // A reply only in the thread is for its followers (and whom it mentions), not the whole chat.
        const following = thread?.following === true;
        const wantsEmail = isMention || (direct && (!onlyInThread || following));
        const wantsPush = level !== 'nothing' && (isMention || following || (!onlyInThread && (direct || level === 'all')));
        // The cheap tests first: most members of a busy room want neither, and cost no query.
        if (!wantsEmail && !wantsPush) continue;
        const pair = `${r.id}:${senderId}`;
        if (deps.people && !blocked.has(pair)) blocked.set(pair, await deps.people.isBlocked(r.id, senderId));
        if (blocked.get(pair)) continue;
        if (wantsEmail) digestFrom.set(r.id, Math.min(digestFrom.get(r.id) ?? Number.MAX_SAFE_INTEGER, Number(message.created_at)));
        // Someone active on a device sees it there; a push would only repeat it. Connected but
        // away (idle on every device, or away by choice) is not there: the phone gets it.
        if (!wantsPush || activeSomewhere(r.id)) continue;
        if (!held.has(pair)) held.set(pair, await quietUntil(r.id, senderId, direct, at));
        const until = held.get(pair) ?? null;
        if (until !== null) {
          // Held, not dropped: when quiet hours end, the chat's newest unread message is pushed.
          const held = onlyInThread && rootId ? { userId: r.id, chatId: chat.id, rootId } : { userId: r.id, chatId: chat.id };
          await jobs.enqueue('push.held', held satisfies HeldJob, {
            runAt: until,
            // One job per chat (or thread) and end time: a changed schedule gets its own, at its own end.
            uniqueKey: `push.held:${r.id}:${onlyInThread ? rootId : chat.id}:${until}`,
          });
          continue;
        }
        if (!senderNames.has(senderId)) senderNames.set(senderId, await repo.displayName(senderId));
        await pushMessage(r.id, chat, message, senderNames.get(senderId) ?? '');
      }
    }
    for (const [userId, createdAt] of digestFrom) await deps.onUnreadForDigest(userId, createdAt);
  });

  jobs.handle('push.held', async (payload) => {
    const { userId, chatId, rootId } = payload as HeldJob;
    const chat = await repo.chat(chatId);
    const member = await repo.member(chatId, userId);
    if (!chat || !member || member.muted === 1 || activeSomewhere(userId)) return;
    const row = await settings.settingsOf(userId);
    // Quiet again (the schedule changed meanwhile): the next message holds it anew.
    if (isQuiet(scheduleOf(row), now())) return;
    const level = (await settings.levelsIn(chat.id, chat.kind, [userId])).get(userId) ?? 'mentions';
    if (level === 'nothing') return;
    const thread = rootId ? (await repo.threadMembers(rootId)).get(userId) : undefined;
    const message = rootId
      ? await repo.latestUnread(chat.id, userId, thread?.lastReadSeq ?? 0, !thread?.following, rootId)
      : await repo.latestUnread(chat.id, userId, Number(member.last_read_seq), chat.kind !== 'direct' && level === 'mentions');
    if (!message?.sender_id) return;
    if (deps.people && (await deps.people.isBlocked(userId, message.sender_id))) return;
    await pushMessage(userId, chat, message, await repo.displayName(message.sender_id));
  });

  jobs.handle('push.close', async (payload) => {
    const { userId, chatId, rootId } = payload as HeldJob;
    await enqueueToAll(userId, rootId ? { type: 'close', chatId, threadRootId: rootId } : { type: 'close', chatId });
  });

  jobs.handle('push.deliver', async (payload) => {
    const job = payload as DeliverJob;
    const sub = await repo.subscription(job.subscriptionId);
    if (!sub) return;
    const vapid = await vapidKeys();
    const details = webPush.generateRequestDetails(
      { endpoint: sub.endpoint, keys: { p256dh: sub.p256dh, auth: sub.auth } },
      JSON.stringify(job.payload),
      {
        vapidDetails: { subject: deps.subject, publicKey: vapid.publicKey, privateKey: vapid.privateKey },
        TTL: PUSH_TTL_SECONDS,
        urgency: job.payload.type === 'message' ? 'high' : 'normal',
        contentEncoding: 'aes128gcm',
      },
    );
    // web-push's own sender speaks https only; fetch does both (tests run a plain-http push service).
    const response = await fetch(details.endpoint, {
      method: details.method,
      headers: details.headers as Record<string, string>,
      body: details.body ? new Uint8Array(details.body) : null,
      signal: AbortSignal.timeout(15_000),
    });
    await response.arrayBuffer().catch(() => undefined);
    if (GONE.has(response.status)) {
      await repo.dropSubscription(sub.id);
      return;
    }
    if (response.status === 429 || response.status >= 500) throw new Error(`push service answered ${response.status}`);
    if (!response.ok) throw new Error(`push service refused the push: ${response.status}`);
  });

  return {
    vapidPublicKey: async () => (await vapidKeys()).publicKey,

    async subscribe(actor: Actor, body: PushSubscriptionBody, userAgent: string): Promise<PushDevice> {
      await repo.upsertSubscription({
        id: newId(),
        user_id: actor.userId,
        endpoint: body.endpoint,
        p256dh: body.keys.p256dh,
        auth: body.keys.auth,
        device_name: (body.deviceName?.trim() || userAgent).slice(0, 120),
        created_at: now(),
      });
      return presentDevice(await repo.subscriptionByEndpoint(body.endpoint));
    },

    async list(actor: Actor): Promise<PushDeviceList> {
      return { items: (await repo.subscriptionsOf(actor.userId)).map(presentDevice) };
    },

    async remove(actor: Actor, id: string): Promise<void> {
      // Another person's device answers exactly like a missing one.
      if ((await repo.deleteSubscription(actor.userId, id)) === 0) throw notFound('push_subscription_not_found', 'Push subscription');
    },

    /**
     * After a message is stored: its pushes and emails are decided in a job. Messages of a
     * chat sent within COALESCE_MS share one job, so a busy chat costs one queue write per
     * burst rather than one per message.
     */
    messageSent(message: Pick<Message, 'id' | 'chatId' | 'kind'>): void {
      if (message.kind !== 'text') return;
      const ids = pending.get(message.chatId);
      if (ids) ids.push(message.id);
      else pending.set(message.chatId, [message.id]);
      flushTimer ??= setTimeout(() => void flush(), COALESCE_MS);
    },

    /** Enqueues what messageSent has gathered (tests; shutdown). */
    flush,

    /** After a read mark: close what was pushed about this chat on every device. */
    async readMarked(userId: string, chatId: string, lastReadSeq: number): Promise<void> {
      if (await repo.takePushed(userId, chatId, lastReadSeq)) await jobs.enqueue('push.close', { userId, chatId });
    },

    /** After a thread was read: close what was pushed about its replies on every device. */
    async threadReadMarked(userId: string, chatId: string, rootId: string, lastReadSeq: number): Promise<void> {
      if (await repo.takePushedInThread(userId, rootId, lastReadSeq))
        await jobs.enqueue('push.close', { userId, chatId, rootId } satisfies HeldJob);
    },
  };
}
