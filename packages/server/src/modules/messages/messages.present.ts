/**
 * Message rows → API messages, in batches: one query each for senders, reply targets
 * and reactions, however many messages the page holds.
 */
import type { Attachment, LinkPreview, Message, Poll, ThreadSummary } from '@parley/protocol';
import type { Kysely } from 'kysely';
import { canQuote, type MessageRow } from '../../access/chat-access.js';
import { toIso } from '../../clock.js';
import { precompile } from '../../storage/precompiled.js';
import type { Database } from '../../storage/schema.js';
import { presentAttachment } from '../attachments/attachments.present.js';
import { attachmentsRepo } from '../attachments/attachments.repo.js';
import { previewsByMessage } from '../link-previews/link-previews.present.js';
import { pollsByMessage } from '../polls/polls.present.js';
import { threadSummariesByRoot } from '../threads/threads.present.js';

const REPLY_EXCERPT = 200;

/** Precompiled: a freshly sent message has one sender to look up. */
const senderOf = precompile(1, (db, id: string) =>
  db.selectFrom('users').select(['id', 'username', 'display_name', 'bot_owner_id']).where('id', '=', id),
);

const parse = <T>(json: string | null): T | null => (json ? (JSON.parse(json) as T) : null);

export interface PresentOptions {
  /** The rows were just created, so they have no reactions to look up… */
  fresh?: boolean;
  /** …and their attachments are these (none when absent), not looked up either. */
  attachments?: Attachment[];
}

/** Attachments of a page of messages: one query, by message. */
async function attachmentsByMessage(db: Kysely<Database>, ids: string[]): Promise<Map<string, Attachment[]>> {
  const byMessage = new Map<string, Attachment[]>();
  for (const { message_id, position: _position, ...file } of await attachmentsRepo(db).attachmentsOf(ids)) {
    byMessage.set(message_id, [...(byMessage.get(message_id) ?? []), presentAttachment(file)]);
  }
  return byMessage;
}

export async function presentMessages(db: Kysely<Database>, rows: MessageRow[], options: PresentOptions = {}): Promise<Message[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const replyIds = [...new Set(rows.flatMap((r) => (r.reply_to_id ? [r.reply_to_id] : [])))];
  const replies = replyIds.length ? await db.selectFrom('messages').selectAll().where('id', 'in', replyIds).execute() : [];
  const senderIds = [...new Set([...rows, ...replies].flatMap((r) => (r.sender_id ? [r.sender_id] : [])))];
  // Link previews (E18) arrive after a send, as their own event: a fresh message has none.
  const previewing = options.fresh ? Promise.resolve(new Map<string, LinkPreview>()) : previewsByMessage(db, ids);
  // Awaited below; if a query above fails first, its rejection must not go unhandled meanwhile.
  previewing.catch(() => undefined);
  const [senders, reactions, attachments, polls, threads] = await Promise.all([
    senderIds.length === 1
      ? senderOf.execute(db, senderIds[0] as string)
      : senderIds.length
        ? db.selectFrom('users').select(['id', 'username', 'display_name', 'bot_owner_id']).where('id', 'in', senderIds).execute()
        : Promise.resolve([]),
    options.fresh
      ? Promise.resolve([])
      : db
          .selectFrom('reactions')
          .select(['message_id', 'user_id', 'emoji'])
          .where('message_id', 'in', ids)
          .orderBy('created_at')
          .execute(),
    // A fresh text-only send (the hot path) costs no query here.
    options.fresh ? Promise.resolve(new Map<string, Attachment[]>()) : attachmentsByMessage(db, ids),
    // Polls (E16) too: a poll's creation adds it to its fresh message itself.
    options.fresh ? Promise.resolve(new Map<string, Poll>()) : pollsByMessage(db, ids),
    // Thread roots' summaries (E15): a fresh message has no replies yet.
    options.fresh ? Promise.resolve(new Map<string, ThreadSummary>()) : threadSummariesByRoot(db, ids),
  ]);
  if (options.fresh && options.attachments && rows[0]) attachments.set(rows[0].id, options.attachments);
  const previews = await previewing;
  const senderById = new Map(senders.map((s) => [s.id, s]));
  const replyById = new Map(replies.map((r) => [r.id, r]));
  const reactionsByMessage = new Map<string, Map<string, string[]>>();
  for (const r of reactions) {
    const byEmoji = reactionsByMessage.get(r.message_id) ?? new Map<string, string[]>();
    byEmoji.set(r.emoji, [...(byEmoji.get(r.emoji) ?? []), r.user_id]);
    reactionsByMessage.set(r.message_id, byEmoji);
  }
  const nameOf = (id: string | null) => (id ? (senderById.get(id)?.display_name ?? 'Unknown') : 'Parley');

  return rows.map((row): Message => {
    const sender = row.sender_id ? senderById.get(row.sender_id) : undefined;
    const target = row.reply_to_id ? replyById.get(row.reply_to_id) : undefined;
    // Presented once for everyone who sees the row: a quote its audience may not all see is left out.
    const reply = target && canQuote(row, target) ? target : undefined;
    const deleted = row.deleted_at !== null;
    return {
      id: row.id,
      chatId: row.chat_id,
      seq: Number(row.seq),
      kind: row.kind,
      senderId: row.sender_id,
      sender: sender
        ? {
            id: sender.id,
            username: sender.username,
            displayName: sender.display_name,
            ...(sender.bot_owner_id != null && { bot: true as const }),
          }
        : null,
      clientId: row.client_id,
      text: deleted ? '' : row.text,
      replyTo: reply
        ? {
            id: reply.id,
            seq: Number(reply.seq),
            senderId: reply.sender_id,
            senderName: nameOf(reply.sender_id),
            text: reply.deleted_at === null ? reply.text.slice(0, REPLY_EXCERPT) : '',
            deleted: reply.deleted_at !== null,
          }
        : null,
      forwardedFrom: parse(row.forwarded_from),
      privateTo: row.private_to,
      system: parse(row.system),
      mentions: deleted ? [] : (parse<string[]>(row.mentions) ?? []),
      mentionsAll: !deleted && row.mentions_all === 1,
      reactions: deleted
        ? []
        : [...(reactionsByMessage.get(row.id) ?? new Map<string, string[]>())].map(([emoji, userIds]) => ({
            emoji,
            count: userIds.length,
            userIds,
          })),
      attachments: deleted ? [] : (attachments.get(row.id) ?? []),
      ...(!deleted && polls.has(row.id) && { poll: polls.get(row.id) }),
      ...(!deleted && previews.has(row.id) && { linkPreview: previews.get(row.id) }),
      ...(row.thread_root_id !== null && { threadRootId: row.thread_root_id }),
      ...(row.also_to_chat === 1 && { alsoToChat: true as const }),
      ...(threads.has(row.id) && { thread: threads.get(row.id) }),
      createdAt: toIso(row.created_at),
      editedAt: row.edited_at === null ? null : toIso(row.edited_at),
      deletedAt: row.deleted_at === null ? null : toIso(row.deleted_at),
    };
  });
}

export async function presentMessage(db: Kysely<Database>, row: MessageRow, options: PresentOptions = {}): Promise<Message> {
  const [message] = await presentMessages(db, [row], options);
  if (!message) throw new Error('presentMessages returned nothing for one row');
  return message;
}
