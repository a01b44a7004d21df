/**
 * Web Push (H2): VAPID keys made at first start and kept in the database, one
 * subscription per device, and the decision who gets a push for a new message — DMs and
 * mentions by default, per chat all / mentions / nothing; never for a muted chat, a
 * blocked sender, someone connected right now, someone who already read it, or during
 * quiet hours (unless a starred contact's DM may come through). Reading a chat elsewhere
 * sends a `close` push so the service worker removes that chat's notification.
 *
 * Every push is a job (`push.deliver`), retried with backoff when the push service
 * answers 429 or 5xx; a 404 or 410 means the browser dropped the subscription, which is
 * then deleted.
 */
import type { Message, PushDevice, PushDeviceList, PushPayload, PushSubscriptionBody } from '@parley/protocol';
import type { Kysely } from 'kysely';
import webPush from 'web-push';
import type { Actor } from '../../access/actor.js';
import { now, toIso } from '../../clock.js';
import { notFound } from '../../errors.js';
import { newId } from '../../ids.js';
import type { PresenceTracker } from '../../realtime/presence.js';
import type { Database } from '../../storage/schema.js';
import type { JobQueue } from '../jobs/job-queue.js';
import type { NotificationSettingsService } from '../notification-settings/notification-settings.service.js';
import { scheduleOf } from '../notification-settings/notification-settings.service.js';
import { isQuiet } from '../notification-settings/quiet-hours.js';
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
  messageId: string;
}
interface DeliverJob {
  subscriptionId: string;
  payload: PushPayload;
}

const PUSH_TTL_SECONDS = 86_400;
const BODY_MAX = 180;

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
}) {
  const { db, jobs, presence, settings } = deps;
  const repo = pushRepo(db);
  let keys: Promise<VapidKeys> | null = null;

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

  /** Whether quiet hours hold this person's notification about a message from `senderId`. */
  async function heldByQuietHours(userId: string, senderId: string, direct: boolean, at: number): Promise<boolean> {
    const row = await settings.settingsOf(userId);
    if (!isQuiet(scheduleOf(row), at)) return false;
    const starredThrough =
      row.quiet_allow_starred === 1 && direct && deps.people !== null && (await deps.people.isStarred(userId, senderId));
    return !starredThrough;
  }

  jobs.handle('push.message', async (payload) => {
    const job = payload as MessageJob;
    const message = await repo.message(job.messageId);
    const chat = await repo.chat(job.chatId);
    if (!message || !chat || message.deleted_at !== null || message.kind !== 'text' || !message.sender_id) return;
    const senderId = message.sender_id;
    const direct = chat.kind === 'direct';
    const mentioned = new Set<string>(JSON.parse(message.mentions) as string[]);
    const recipients = (await repo.recipients(chat.id, senderId)).filter((r) => message.private_to === null || r.id === message.private_to);
    const levels = await settings.levelsIn(
      chat.id,
      chat.kind,
      recipients.map((r) => r.id),
    );
    const senderName = recipients.length > 0 ? await repo.displayName(senderId) : '';
    const at = now();
    for (const r of recipients) {
      if (r.muted === 1) continue;
      if (Number(r.last_read_seq) >= Number(message.seq)) continue;
      if (deps.people && (await deps.people.isBlocked(r.id, senderId))) continue;
      const isMention = Number(message.mentions_all) === 1 || mentioned.has(r.id);
      if (direct || isMention) await deps.onUnreadForDigest(r.id, Number(message.created_at));
      const level = levels.get(r.id) ?? 'mentions';
      if (level === 'nothing' || (level === 'mentions' && !direct && !isMention)) continue;
      // Someone connected on any device sees it there; a push would only repeat it.
      if (presence.isOnline(r.id)) continue;
      if (await heldByQuietHours(r.id, senderId, direct, at)) continue;
      const push: PushPayload = {
        type: 'message',
        chatId: chat.id,
        messageId: message.id,
        seq: Number(message.seq),
        title: direct ? senderName : chat.name,
        body: shorten(direct ? message.text : `${senderName}: ${message.text}`),
        url: `${deps.baseUrl}/chats/${encodeURIComponent(chat.id)}`,
      };
      await repo.markPushed(r.id, chat.id, Number(message.seq));
      await enqueueToAll(r.id, push);
    }
  });

  jobs.handle('push.close', async (payload) => {
    const { userId, chatId } = payload as { userId: string; chatId: string };
    await enqueueToAll(userId, { type: 'close', chatId });
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

    /** After a message is stored: decide and send its pushes in a job. */
    async messageSent(message: Pick<Message, 'id' | 'chatId' | 'kind'>): Promise<void> {
      if (message.kind !== 'text') return;
      await jobs.enqueue('push.message', { chatId: message.chatId, messageId: message.id } satisfies MessageJob);
    },

    /** After a read mark: close what was pushed about this chat on every device. */
    async readMarked(userId: string, chatId: string, lastReadSeq: number): Promise<void> {
      if (await repo.takePushed(userId, chatId, lastReadSeq)) await jobs.enqueue('push.close', { userId, chatId });
    },
  };
}
