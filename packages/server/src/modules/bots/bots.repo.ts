/** SQL of bots: their accounts, tokens and scopes. */
import type { Kysely } from 'kysely';
import type { Database } from '../../storage/schema.js';

export const botsRepo = (db: Kysely<Database>) => ({
  /** The live bot account behind a token hash, with the token row's id. */
  byTokenHash: (tokenHash: string) =>
    db
      .selectFrom('bot_tokens')
      .innerJoin('users', 'users.id', 'bot_tokens.bot_id')
      .select(['bot_tokens.id as token_id', 'users.id as bot_id', 'users.deleted_at', 'users.suspended_at'])
      .where('bot_tokens.token_hash', '=', tokenHash)
      .executeTakeFirst(),

  ownedBy: (ownerId: string) =>
    db.selectFrom('users').selectAll().where('bot_owner_id', '=', ownerId).where('deleted_at', 'is', null).orderBy('username').execute(),

  bot: (botId: string) =>
    db.selectFrom('users').selectAll().where('id', '=', botId).where('bot_owner_id', 'is not', null).executeTakeFirst(),

  scopes: (botIds: string[]) =>
    botIds.length === 0
      ? Promise.resolve([])
      : db
          .selectFrom('bot_scopes')
          .innerJoin('chats', 'chats.id', 'bot_scopes.chat_id')
          .select(['bot_scopes.bot_id', 'bot_scopes.chat_id', 'bot_scopes.can_post', 'chats.name'])
          .where('bot_scopes.bot_id', 'in', botIds)
          .orderBy('chats.name')
          .execute(),

  tokenIds: async (botId: string) =>
    (await db.selectFrom('bot_tokens').select('id').where('bot_id', '=', botId).execute()).map((r) => r.id),

  replaceToken: async (botId: string, row: { id: string; token_hash: string; created_at: number }) => {
    await db.deleteFrom('bot_tokens').where('bot_id', '=', botId).execute();
    await db
      .insertInto('bot_tokens')
      .values({ ...row, bot_id: botId })
      .execute();
  },

  deleteTokens: (botId: string) => db.deleteFrom('bot_tokens').where('bot_id', '=', botId).execute(),

  putScope: (botId: string, chatId: string, canPost: boolean) =>
    db
      .insertInto('bot_scopes')
      .values({ bot_id: botId, chat_id: chatId, can_post: canPost ? 1 : 0 })
      .onConflict((oc) => oc.columns(['bot_id', 'chat_id']).doUpdateSet({ can_post: canPost ? 1 : 0 }))
      .execute(),

  deleteScope: (botId: string, chatId: string) =>
    db.deleteFrom('bot_scopes').where('bot_id', '=', botId).where('chat_id', '=', chatId).execute(),

  deleteScopes: (botId: string) => db.deleteFrom('bot_scopes').where('bot_id', '=', botId).execute(),
});
