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
import type { FileRow } from '../attachments/attachments.repo.js';
import { linkAttachments } from '../attachments/message-files.js';
import { searchIndexFor } from '../search/search-index.js';
import { appendMessageRepo } from './append-message.repo.js';
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
  /** Files it carries, in order (already checked: the sender's own, or visible to them when forwarding). */
  attachments?: FileRow[];
  /** A reply in this root's thread (E15, checked by modules/threads)… */
  threadRootId?: string | null;
  /** …also shown in the chat. */
  alsoToChat?: boolean;
  /**
   * A person's plain send whose right to post was not checked before: the chat's seq is
   * taken only if they may post (one statement), else `NotAdmitted` is thrown and nothing
   * changed. Never for bots, whose scope the statement does not know.
   */
  checkPosting?: boolean;
}

/** The sender may not post to the chat (not a member, or the room is archived); nothing was stored. */
export class NotAdmitted extends Error {
  constructor(readonly chatId: string) {
    super(`not admitted to post in chat ${chatId}`);
  }
}

export interface AppendedMessage {
  row: MessageRow;
  message: Message;
  /** With `checkPosting`: what the bump read of the chat. */
  chat?: { kind: 'direct' | 'group' | 'room'; directKey: string | null };
}

export async function appendMessage(uow: UnitOfWork, message: NewMessage): Promise<AppendedMessage> {
  const at = now();
  // The row lock taken by this update serialises writers per chat on PostgreSQL, so
  // sequence numbers are gapless and commit in order; SQLite has a single writer. The same
  // statement takes the position of `message.created` in the chat's event stream.
  const repo = appendMessageRepo(uow);
  let chat: AppendedMessage['chat'];
  let bumped: { seq: number; eventSeq: number };
  if (message.checkPosting && message.senderId) {
    const admitted = await repo.bumpChatIfMayPost(message.chatId, message.senderId, at);
    if (!admitted) throw new NotAdmitted(message.chatId);
    bumped = admitted;
    chat = { kind: admitted.kind, directKey: admitted.directKey };
  } else bumped = await repo.bumpChat(message.chatId, at);
  const { seq, eventSeq } = bumped;
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
    thread_root_id: message.threadRootId ?? null,
    also_to_chat: message.alsoToChat ? 1 : 0,
    created_at: at,
    edited_at: null,
    deleted_at: null,
  };
  await repo.insert(row);
  // Indexed in the same transaction: found as soon as it is seen, never for a rolled-back send.
  if (row.kind === 'text' && row.text !== '') await searchIndexFor(uow.db).add(uow.db, row);
  if (mentions.length > 0) await repo.insertMentions(message.chatId, mentions, seq, row.id);
  // Your own message is read by you, on every device. A reply only in a thread moves your
  // place in the thread (modules/threads), not in the chat, whose messages you may not have read.
  const inChat = !row.thread_root_id || row.also_to_chat === 1;
  // Coalesced: a group commit holding several of one sender's messages to a chat writes
  // their read position once, at the newest (in seq order, as units run in commit order).
  const senderId = message.senderId;
  if (senderId && inChat) uow.coalesce(`own-read:${message.chatId}:${senderId}`, () => repo.markOwnRead(message.chatId, senderId, seq));
  const attachments = message.attachments?.length ? await linkAttachments(uow.db, row, message.attachments) : undefined;
  const presented = await presentMessage(uow.db, row, { fresh: true, ...(attachments && { attachments }) });
  await uow.emit({
    name: 'message.created',
    chatId: message.chatId,
    seq: eventSeq,
    messageId: row.id,
    privateTo: message.privateTo && message.senderId ? [message.senderId, message.privateTo] : null,
    data: { message: presented },
  });
  return { row, message: presented, ...(chat && { chat }) };
}

export const systemMessage = (chatId: string, system: SystemInfo): NewMessage => ({
  chatId,
  kind: 'system',
  senderId: null,
  text: '',
  system,
});
