/**
 * A reaction written `:name:` must name one of the server's custom emoji (E19), checked in
 * front of `messages.addReaction` for REST and socket alike. The chat is checked first, so
 * an outsider still gets the same 404 as before; a standard emoji costs nothing extra.
 */
import { CUSTOM_EMOJI_PATTERN } from '@parley/protocol';
import type { Kysely } from 'kysely';
import { requireVisibleMessage } from '../../access/chat-access.js';
import type { Database } from '../../storage/schema.js';
import type { MessagesService } from '../messages/messages.service.js';
import type { CustomEmojiService } from './custom-emoji.service.js';

export function requireKnownCustomReactions(db: Kysely<Database>, messages: MessagesService, emoji: CustomEmojiService): void {
  const addReaction = messages.addReaction.bind(messages);
  messages.addReaction = async (actor, params) => {
    if (CUSTOM_EMOJI_PATTERN.test(params.emoji)) {
      await requireVisibleMessage(db, actor, params.chatId, params.messageId);
      await emoji.assertKnown(params.emoji);
    }
    return addReaction(actor, params);
  };
}
