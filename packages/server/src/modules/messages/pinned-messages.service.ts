/**
 * Pinned messages (E13): a chat's bar of pinned messages, newest first; each jumps to its
 * message. Pinning is for the owner and admins, or every member when the group allows it
 * (`membersCanPin`); both people of a direct chat may pin. `message.pinned` and
 * `message.unpinned` go to the chat's stream (private messages: to their two people only)
 * and carry ids, never the text.
 */
import type { MessagePinParams, PinnedMessageList } from '@parley/protocol';
import type { Kysely } from 'kysely';
import type { Actor } from '../../access/actor.js';
import { canSeeMessage, type MessageRow, requireMember, requireVisibleMessage } from '../../access/chat-access.js';
import { assertCanPinMessages, canPinMessages } from '../../access/pin-access.js';
import type { RateLimits } from '../../access/rate-limits.js';
import { now, toIso } from '../../clock.js';
import { AppError } from '../../errors.js';
import type { Transact } from '../../realtime/event-log.js';
import type { Database } from '../../storage/schema.js';
import { isUniqueViolation } from '../../storage/unique-violation.js';
import { presentMessages } from './messages.present.js';
import { pinnedMessagesRepo } from './pinned-messages.repo.js';

export type PinnedMessagesService = ReturnType<typeof createPinnedMessagesService>;

const privateScope = (m: MessageRow): [string, string] | null => (m.private_to && m.sender_id ? [m.sender_id, m.private_to] : null);

export function createPinnedMessagesService(db: Kysely<Database>, transact: Transact, limits: RateLimits) {
  const repo = pinnedMessagesRepo(db);

  return {
    async list(actor: Actor, chatId: string): Promise<PinnedMessageList> {
      const access = await requireMember(db, actor, chatId);
      const rows = (await repo.list(chatId)).filter((row) => canSeeMessage(actor, row));
      const messages = await presentMessages(
        db,
        rows.map(({ pinned_by: _by, pinned_at: _at, ...message }) => message),
      );
      return {
        items: rows.flatMap((row, i) => {
          const message = messages[i];
          return message ? [{ message, pinnedBy: row.pinned_by, pinnedAt: toIso(Number(row.pinned_at)) }] : [];
        }),
        membersCanPin: access.chat.members_can_pin === 1,
        canPin: canPinMessages(access),
      };
    },

    async pin(actor: Actor, params: MessagePinParams): Promise<PinnedMessageList> {
      const { message, ...access } = await requireVisibleMessage(db, actor, params.chatId, params.messageId);
      assertCanPinMessages(access);
      if (message.kind !== 'text' || message.deleted_at !== null)
        throw new AppError('validation_failed', 'Only a text message that is not deleted can be pinned', {
          location: 'body',
          field: 'messageId',
          rule: 'pinnable',
        });
      await limits.consume('action', actor.userId);
      if (!(await repo.find(params.chatId, message.id))) {
        try {
          await transact(async (uow) => {
            const at = now();
            await pinnedMessagesRepo(uow.db).insert(params.chatId, message.id, actor.userId, at);
            await uow.emit({
              name: 'message.pinned',
              chatId: params.chatId,
              privateTo: privateScope(message),
              data: { chatId: params.chatId, messageId: message.id, seq: Number(message.seq), pinnedBy: actor.userId, pinnedAt: toIso(at) },
            });
          });
        } catch (error) {
          // Pinned twice at once: the primary key kept one.
          if (!isUniqueViolation(error, 'pinned_messages_pk') && !isUniqueViolation(error, 'message_id')) throw error;
        }
      }
      return this.list(actor, params.chatId);
    },

    async unpin(actor: Actor, params: MessagePinParams): Promise<PinnedMessageList> {
      const { message, ...access } = await requireVisibleMessage(db, actor, params.chatId, params.messageId);
      assertCanPinMessages(access);
      await limits.consume('action', actor.userId);
      await transact(async (uow) => {
        const removed = await pinnedMessagesRepo(uow.db).remove(params.chatId, message.id);
        if (Number(removed.numDeletedRows) > 0)
          await uow.emit({
            name: 'message.unpinned',
            chatId: params.chatId,
            privateTo: privateScope(message),
            data: { chatId: params.chatId, messageId: message.id, by: actor.userId },
          });
      });
      return this.list(actor, params.chatId);
    },
  };
}
