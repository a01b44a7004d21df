/**
 * Webhooks (J8). Incoming: a secret URL per webhook; a JSON post to it becomes a message
 * sent by the webhook's bot — through the messages service, so the bot's scope, rate
 * limits and events apply as to any send. Outgoing: each new message of the chat (or each
 * starting with the trigger word) is a `webhook.deliver` job, signed and retried with
 * backoff by the jobs table, sent only to addresses the SSRF guard allows.
 */
import { randomBytes } from 'node:crypto';
import type { CreateWebhookBody, IncomingHookBody, Message, OutgoingHookPayload, Webhook, WebhookList } from '@parley/protocol';
import type { Kysely } from 'kysely';
import type { Actor } from '../../access/actor.js';
import { assertNotBot } from '../../access/bot-access.js';
import { assertCanAddMembers, requireMember } from '../../access/chat-access.js';
import { now, toIso } from '../../clock.js';
import { AppError, notFound } from '../../errors.js';
import { newId } from '../../ids.js';
import type { Database } from '../../storage/schema.js';
import { hashToken } from '../auth/tokens.js';
import type { BotsService } from '../bots/bots.service.js';
import type { JobQueue } from '../jobs/job-queue.js';
import type { MessagesService } from '../messages/messages.service.js';
import { deliverWebhook } from './deliver.js';
import { resolveTarget } from './ssrf-guard.js';
import { type WebhookRow, webhooksRepo } from './webhooks.repo.js';

export const DELIVER_JOB = 'webhook.deliver';
export const INCOMING_PATH = '/api/v1/hooks/';

const present = (row: WebhookRow, secret: string | null = null): Webhook => ({
  id: row.id,
  chatId: row.chat_id,
  direction: row.direction,
  name: row.name,
  botId: row.bot_id,
  url: row.url,
  triggerWord: row.trigger_word,
  createdAt: toIso(row.created_at),
  revoked: row.revoked_at !== null,
  secret,
});

/** Whether a message's text starts with the trigger word (as a whole word, ignoring case). */
export function matchesTrigger(text: string, trigger: string | null): boolean {
  if (trigger === null) return true;
  const first = text.trimStart().split(/\s/, 1)[0] ?? '';
  return first.toLowerCase() === trigger.toLowerCase();
}

export type WebhooksService = ReturnType<typeof createWebhooksService>;

export function createWebhooksService(
  db: Kysely<Database>,
  deps: { bots: BotsService; messages: MessagesService; jobs: JobQueue; allowPrivateTargets: boolean },
) {
  const repo = webhooksRepo(db);
  const botActor = (botId: string, webhookId: string): Actor => ({ userId: botId, sessionId: `webhook:${webhookId}`, bot: true });

  async function requireManager(actor: Actor, chatId: string) {
    assertNotBot(actor, 'manage webhooks');
    const access = await requireMember(db, actor, chatId);
    assertCanAddMembers(access);
    return access;
  }

  return {
    async create(actor: Actor, chatId: string, body: CreateWebhookBody): Promise<Webhook> {
      await requireManager(actor, chatId);
      const bot = (await deps.bots.list(actor)).items.find((b) => b.user.id === body.botId);
      if (!bot) throw new AppError('bot_not_found', 'Bot not found', { location: 'body', field: 'botId', rule: 'exists' });
      const at = now();
      const id = newId();
      const secret = randomBytes(32).toString('base64url');
      if (body.direction === 'outgoing') {
        if (!body.url)
          throw new AppError('validation_failed', 'An outgoing webhook needs a url', { location: 'body', field: 'url', rule: 'required' });
        await resolveTarget(new URL(body.url).hostname, deps.allowPrivateTargets);
      }
      // Incoming posts as the bot; outgoing reads as it (keeping a post scope it already had).
      const posts = body.direction === 'incoming' || (bot.scopes.find((s) => s.chatId === chatId)?.post ?? false);
      await deps.bots.setScope(actor, body.botId, chatId, posts);
      const row: WebhookRow = {
        id,
        chat_id: chatId,
        direction: body.direction,
        bot_id: body.botId,
        created_by: actor.userId,
        name: body.name.trim(),
        token_hash: body.direction === 'incoming' ? hashToken(secret) : null,
        url: body.direction === 'outgoing' ? (body.url ?? null) : null,
        secret: body.direction === 'outgoing' ? secret : null,
        trigger_word: body.direction === 'outgoing' ? (body.triggerWord ?? null) : null,
        created_at: at,
        revoked_at: null,
      };
      await repo.insert(row);
      return present(row, body.direction === 'incoming' ? `${INCOMING_PATH}${secret}` : secret);
    },

    async list(actor: Actor, chatId: string): Promise<WebhookList> {
      await requireManager(actor, chatId);
      return { items: (await repo.ofChat(chatId)).map((row) => present(row)) };
    },

    async revoke(actor: Actor, chatId: string, webhookId: string): Promise<void> {
      await requireManager(actor, chatId);
      if ((await repo.revoke(webhookId, chatId, now())) === 0) throw notFound('webhook_not_found', 'Webhook');
    },

    /** A post to an incoming webhook's secret URL: a message from its bot. */
    async receive(token: string, body: IncomingHookBody): Promise<Message> {
      const hook = await repo.liveByTokenHash(hashToken(token));
      if (!hook) throw notFound('webhook_not_found', 'Webhook');
      return deps.messages.send(botActor(hook.bot_id, hook.id), {
        chatId: hook.chat_id,
        clientId: `hook-${randomBytes(9).toString('base64url')}`,
        text: body.text,
        ...(body.attachments && { attachments: body.attachments }),
      });
    },

    /** After a message is stored: a delivery job for each outgoing webhook it matches. */
    async messageSent(message: Message): Promise<void> {
      if (message.kind !== 'text' || message.privateTo) return;
      for (const hook of await repo.liveOutgoing(message.chatId)) {
        if (hook.bot_id === message.senderId || !matchesTrigger(message.text, hook.trigger_word)) continue;
        await deps.jobs.enqueue(
          DELIVER_JOB,
          { webhookId: hook.id, messageId: message.id },
          { uniqueKey: `${DELIVER_JOB}:${hook.id}:${message.id}` },
        );
      }
    },

    registerJobs() {
      deps.jobs.handle(
        DELIVER_JOB,
        async (payload) => {
          const { webhookId, messageId } = payload as { webhookId: string; messageId: string };
          const hook = await repo.byId(webhookId);
          const message = await repo.delivery(messageId);
          // Revoked since, or the message is gone: nothing to deliver, nothing to retry.
          if (!hook || hook.revoked_at !== null || !hook.url || !hook.secret || !message || message.deleted_at !== null) return;
          const body: OutgoingHookPayload = {
            event: 'message.created',
            webhookId,
            chat: { id: message.chat_id, name: message.chat_name },
            message: {
              id: message.id,
              seq: Number(message.seq),
              text: message.text,
              senderId: message.sender_id,
              senderUsername: message.sender_username,
              createdAt: toIso(Number(message.created_at)),
            },
          };
          await deliverWebhook(hook.url, hook.secret, JSON.stringify(body), deps.allowPrivateTargets);
        },
        { maxAttempts: 6 },
      );
    },
  };
}
