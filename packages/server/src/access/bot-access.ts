/**
 * A bot's scope (J8): a bot sees only the chats its owner scoped it to — any other chat
 * answers exactly like a missing one — and posts only where its scope says `post`. Bots
 * never start chats; they join through their owner (modules/bots).
 */
import type { Kysely } from 'kysely';
import { AppError, notFound } from '../errors.js';
import type { Database } from '../storage/schema.js';
import type { Actor } from './actor.js';

export interface BotScopeCheck {
  /** False for a read-only scope. */
  canPost: boolean;
}

/** For a bot actor: its scope on the chat, or chat_not_found. Null for people. */
export async function requireBotScope(db: Kysely<Database>, actor: Actor, chatId: string): Promise<BotScopeCheck | null> {
  if (!actor.bot) return null;
  const scope = await db
    .selectFrom('bot_scopes')
    .select('can_post')
    .where('bot_id', '=', actor.userId)
    .where('chat_id', '=', chatId)
    .executeTakeFirst();
  if (!scope) throw notFound('chat_not_found', 'Chat');
  return { canPost: scope.can_post === 1 };
}

export function assertBotMayPost(scope: BotScopeCheck | null | undefined) {
  if (scope && !scope.canPost) throw new AppError('forbidden', 'This bot may read this chat but not post to it');
}

export function assertNotBot(actor: Actor, action: string) {
  if (actor.bot) throw new AppError('forbidden', `Bots cannot ${action}; their owner adds them to chats`);
}
