/**
 * Bots (J8): accounts a person creates and runs, each with its own token and a scope —
 * the chats it may read, and of those the ones it may post to. The owner brings the bot
 * into a chat by scoping it there (the owner must be allowed to add members), and takes it
 * out by removing the scope. Bots then use the same REST and WebSocket API as everyone;
 * access/bot-access.ts keeps them inside their scope.
 */
import { randomBytes } from 'node:crypto';
import { BOT_TOKEN_PREFIX, type Bot, type BotList, type BotWithToken, type CreateBotBody } from '@parley/protocol';
import type { Kysely } from 'kysely';
import type { Actor } from '../../access/actor.js';
import { assertNotBot } from '../../access/bot-access.js';
import { assertCanAddMembers, type ChatRow, requireMember } from '../../access/chat-access.js';
import { now, toIso } from '../../clock.js';
import { AppError, notFound } from '../../errors.js';
import { newId } from '../../ids.js';
import type { Database } from '../../storage/schema.js';
import { isUniqueViolation } from '../../storage/unique-violation.js';
import { hashToken } from '../auth/tokens.js';
import { presentUser } from '../users/users.present.js';
import { type UserRow, usersRepo } from '../users/users.repo.js';
import { botsRepo } from './bots.repo.js';

export interface BotDeps {
  sessionsEnded(userId: string, sessionIds: string[]): void;
  addBot(chat: ChatRow, botId: string, byId: string): Promise<void>;
  leaveChat(actor: Actor, chatId: string): Promise<void>;
  eraseAccount(userId: string): Promise<void>;
}

const newBotToken = () => `${BOT_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
/** The bot acting for its own membership changes (its scope is still in place). */
const botActor = (botId: string): Actor => ({ userId: botId, sessionId: `bot:${botId}`, bot: true });

export type BotTokens = ReturnType<typeof createBotTokens>;

/** Resolves a bot token to its actor; null when unknown, or the bot is deleted or suspended. */
export function createBotTokens(db: Kysely<Database>) {
  const repo = botsRepo(db);
  return {
    async authenticate(token: string): Promise<Actor | null> {
      const row = await repo.byTokenHash(hashToken(token));
      if (!row || row.deleted_at !== null || row.suspended_at !== null) return null;
      return { userId: row.bot_id, sessionId: row.token_id, bot: true };
    },
  };
}

export type BotsService = ReturnType<typeof createBotsService>;

export function createBotsService(db: Kysely<Database>, deps: BotDeps) {
  const repo = botsRepo(db);

  async function present(rows: UserRow[]): Promise<Bot[]> {
    const scopes = await repo.scopes(rows.map((r) => r.id));
    return rows.map((row) => ({
      user: presentUser(row, { seesLastSeen: true }),
      ownerId: row.bot_owner_id ?? '',
      scopes: scopes.filter((s) => s.bot_id === row.id).map((s) => ({ chatId: s.chat_id, chatName: s.name, post: s.can_post === 1 })),
      createdAt: toIso(row.created_at),
    }));
  }

  async function viewBot(botId: string): Promise<Bot> {
    const row = await repo.bot(botId);
    if (!row) throw notFound('bot_not_found', 'Bot');
    const [bot] = await present([row]);
    if (!bot) throw notFound('bot_not_found', 'Bot');
    return bot;
  }

  /** The actor's own live bot; anyone else's answers like a missing one. */
  async function requireOwnBot(actor: Actor, botId: string) {
    const row = await repo.bot(botId);
    if (!row || row.bot_owner_id !== actor.userId || row.deleted_at !== null) throw notFound('bot_not_found', 'Bot');
    return row;
  }

  async function issueToken(botId: string): Promise<string> {
    const ended = await repo.tokenIds(botId);
    const token = newBotToken();
    await repo.replaceToken(botId, { id: newId(), token_hash: hashToken(token), created_at: now() });
    // The old token's sockets close at once (4003), as a revoked session's do.
    if (ended.length > 0) deps.sessionsEnded(botId, ended);
    return token;
  }

  return {
    async create(actor: Actor, body: CreateBotBody): Promise<BotWithToken> {
      assertNotBot(actor, 'create bots');
      const at = now();
      const username = body.username.trim().toLowerCase();
      const displayName = body.displayName.trim();
      const row: UserRow = {
        id: newId(),
        username,
        email: null,
        display_name: displayName,
        display_name_search: displayName.toLowerCase(),
        status_text: '',
        bio: '',
        password_hash: null,
        event_seq: 0,
        created_at: at,
        updated_at: at,
        deleted_at: null,
        last_seen_at: null,
        email_verified_at: null,
        server_role: 'user',
        suspended_at: null,
        suspended_reason: null,
        bot_owner_id: actor.userId,
        avatar_id: null,
        language: null,
      };
      try {
        await usersRepo(db).insert(row);
      } catch (error) {
        if (isUniqueViolation(error, 'username'))
          throw new AppError('username_taken', `username "${username}" is taken`, { location: 'body', field: 'username', rule: 'unique' });
        throw error;
      }
      const token = await issueToken(row.id);
      return { bot: await viewBot(row.id), token };
    },

    async list(actor: Actor): Promise<BotList> {
      return { items: await present(await repo.ownedBy(actor.userId)) };
    },

    async replaceToken(actor: Actor, botId: string): Promise<BotWithToken> {
      await requireOwnBot(actor, botId);
      const token = await issueToken(botId);
      return { bot: await viewBot(botId), token };
    },

    /** Scopes the bot to a chat the owner may add members to, and brings it in. */
    async setScope(actor: Actor, botId: string, chatId: string, post: boolean): Promise<Bot> {
      await requireOwnBot(actor, botId);
      const access = await requireMember(db, actor, chatId);
      assertCanAddMembers(access);
      await repo.putScope(botId, chatId, post);
      await deps.addBot(access.chat, botId, actor.userId);
      return viewBot(botId);
    },

    /** Takes the bot out of the chat; from then on the chat answers it like a missing one. */
    async removeScope(actor: Actor, botId: string, chatId: string): Promise<Bot> {
      await requireOwnBot(actor, botId);
      const bot = await viewBot(botId);
      if (!bot.scopes.some((s) => s.chatId === chatId)) throw notFound('chat_not_found', 'Chat');
      await deps.leaveChat(botActor(botId), chatId).catch((error: unknown) => {
        // Already gone from the chat (removed by its admins): only the scope is left to drop.
        if (!(error instanceof AppError && error.code === 'chat_not_found')) throw error;
      });
      await repo.deleteScope(botId, chatId);
      return viewBot(botId);
    },

    async remove(actor: Actor, botId: string): Promise<void> {
      await requireOwnBot(actor, botId);
      const bot = await viewBot(botId);
      for (const scope of bot.scopes) await this.removeScope(actor, botId, scope.chatId);
      const ended = await repo.tokenIds(botId);
      await repo.deleteTokens(botId);
      deps.sessionsEnded(botId, ended);
      await deps.eraseAccount(botId);
    },
  };
}
