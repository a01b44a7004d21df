/**
 * Appending a message to a chat, inside a unit of work: the one place that takes the
 * next sequence number, stores the message and its mentions, and emits
 * `message.created`. Text messages, system messages and forwards all come through here,
 * so the gapless order holds for all of them.
 */
import type { Message, SystemInfo } from '@parley/protocol';
import type { MessageRow } from '../../access/chat-access.js';
import { now } from '../../clock.js';
import { newId } from '../../ids.js';
import type { UnitOfWork } from '../../realtime/event-log.js';
import { presentMessage } from './messages.present.js';

export interface NewMessage {
  chatId: string;
  kind: 'text' | 'system';
  senderId: string | null;
  clientId?: string | null;
  text: string;
  replyToId?: string | null;
  forwardedFrom?: object | null;
  privateTo?: string | null;
  system?: SystemInfo | null;
  mentionedUserIds?: string[];
  /** `@all`: one flag, not a mention row per member. */
  mentionsAll?: boolean;
}

export async function appendMessage(uow: UnitOfWork, message: NewMessage): Promise<{ row: MessageRow; message: Message }> {
  const at = now();
  // The row lock taken by this update serialises writers per chat on PostgreSQL, so
  // sequence numbers are gapless and commit in order; SQLite has a single writer.
  const chat = await uow.db
    .updateTable('chats')
    .set((eb) => ({ last_seq: eb('last_seq', '+', 1), last_activity_at: at }))
    .where('id', '=', message.chatId)
    .returning(['last_seq'])
    .executeTakeFirstOrThrow();
  const seq = Number(chat.last_seq);
  const mentions = message.mentionedUserIds ?? [];
  const row: MessageRow = {
    id: newId(),
    chat_id: message.chatId,
    seq,
    kind: message.kind,
    sender_id: message.senderId,
    client_id: message.clientId ?? null,
    text: message.text,
    reply_to_id: message.replyToId ?? null,
    forwarded_from: message.forwardedFrom ? JSON.stringify(message.forwardedFrom) : null,
    private_to: message.privateTo ?? null,
    system: message.system ? JSON.stringify(message.system) : null,
    mentions: JSON.stringify(mentions),
    mentions_all: message.mentionsAll ? 1 : 0,
    created_at: at,
    edited_at: null,
    deleted_at: null,
  };
  await uow.db.insertInto('messages').values(row).execute();
  if (mentions.length > 0) {
    await uow.db
      .insertInto('mentions')
      .values(mentions.map((userId) => ({ chat_id: message.chatId, user_id: userId, seq, message_id: row.id })))
      .execute();
  }
  if (message.senderId) {
    // Your own message is read by you, on every device.
    await uow.db
      .updateTable('chat_members')
      .set({ last_read_seq: seq })
      .where('chat_id', '=', message.chatId)
      .where('user_id', '=', message.senderId)
      .execute();
  }
  const presented = await presentMessage(uow.db, row, { fresh: true });
  await uow.emit({
    name: 'message.created',
    chatId: message.chatId,
    messageId: row.id,
    privateTo: message.privateTo && message.senderId ? [message.senderId, message.privateTo] : null,
    data: { message: presented },
  });
  return { row, message: presented };
}

export const systemMessage = (chatId: string, system: SystemInfo): NewMessage => ({
  chatId,
  kind: 'system',
  senderId: null,
  text: '',
  system,
});
