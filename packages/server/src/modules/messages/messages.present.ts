/**
 * Message rows → API messages, in batches: one query each for senders, reply targets
 * and reactions, however many messages the page holds.
 */
import type { Attachment, LinkPreview, Message, Poll, ThreadSummary } from '@parley/protocol';
import type { Kysely } from 'kysely';
import { canQuote, type MessageRow } from '../../access/chat-access.js';
import { toIso } from '../../clock.js';
import { idListParameter, idsIn } from '../../storage/id-list.js';
import { precompile } from '../../storage/precompiled.js';
import type { Database } from '../../storage/schema.js';
import { presentAttachment } from '../attachments/attachments.present.js';
import { attachmentsRepo } from '../attachments/attachments.repo.js';
import { previewsByMessage } from '../link-previews/link-previews.present.js';
import { pollsByMessage } from '../polls/polls.present.js';
import { threadSummariesByRoot } from '../threads/threads.present.js';
import { MESSAGE_COLUMNS } from './append-message.repo.js';
import { cachedSender } from './sender-cache.js';

const REPLY_EXCERPT = 200;

/** Precompiled: a freshly sent message has one sender to look up… */
const senderOf = precompile(1, (db, id: string) =>
  db.selectFrom('users').select(['id', 'username', 'display_name', 'bot_owner_id']).where('id', '=', id),
);

/** …a page has several (storage/id-list.ts: one parameter for the list, one SQL text). */
const sendersIn = precompile(1, (db, ids: unknown) =>
  db.selectFrom('users').select(['id', 'username', 'display_name', 'bot_owner_id']).where('id', 'in', idsIn(db, ids)),
);

const reactionsIn = precompile(1, (db, ids: unknown) =>
  db.selectFrom('reactions').select(['message_id', 'user_id', 'emoji']).where('message_id', 'in', idsIn(db, ids)).orderBy('created_at'),
);

const messagesIn = precompile(1, (db, ids: unknown) => db.selectFrom('messages').select(MESSAGE_COLUMNS).where('id', 'in', idsIn(db, ids)));

/**
 * Which of the per-message lookups a page needs at all, in one statement: most pages have
 * no polls, threads or previews and many no reactions or files, and each lookup skipped
 * is a query less (each of them costs about as much as this whole check).
 */
const extrasOf = precompile(1, (db, ids: unknown) =>
  db.selectNoFrom((eb) => [
    eb.exists(eb.selectFrom('reactions').select('message_id').where('message_id', 'in', idsIn(db, ids))).as('reactions'),
    eb.exists(eb.selectFrom('message_attachments').select('message_id').where('message_id', 'in', idsIn(db, ids))).as('attachments'),
    eb.exists(eb.selectFrom('polls').select('message_id').where('message_id', 'in', idsIn(db, ids))).as('polls'),
    eb.exists(eb.selectFrom('threads').select('root_id').where('root_id', 'in', idsIn(db, ids))).as('threads'),
    eb.exists(eb.selectFrom('message_link_previews').select('message_id').where('message_id', 'in', idsIn(db, ids))).as('previews'),
  ]),
);

interface Extras {
  reactions: boolean;
  attachments: boolean;
  polls: boolean;
  threads: boolean;
  previews: boolean;
}

const NO_EXTRAS: Extras = { reactions: false, attachments: false, polls: false, threads: false, previews: false };

async function extrasNeeded(db: Kysely<Database>, ids: string[]): Promise<Extras> {
  const [row] = await extrasOf.execute(db, idListParameter(db, ids));
  if (!row) return NO_EXTRAS;
  // SQLite answers 0/1, PostgreSQL booleans.
  return {
    reactions: Boolean(row.reactions),
    attachments: Boolean(row.attachments),
    polls: Boolean(row.polls),
    threads: Boolean(row.threads),
    previews: Boolean(row.previews),
  };
}

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
  // A fresh message has no reactions, polls, thread or link previews yet (each arrives
  // later, as its own event), and its files are given: a fresh text-only send (the hot
  // path) costs no query for any of them.
  const [replies, extras] = await Promise.all([
    replyIds.length ? messagesIn.execute(db, idListParameter(db, replyIds)) : Promise.resolve([]),
    options.fresh ? Promise.resolve(NO_EXTRAS) : extrasNeeded(db, ids),
  ]);
  const senderIds = [...new Set([...rows, ...replies].flatMap((r) => (r.sender_id ? [r.sender_id] : [])))];
  const previewing = extras.previews ? previewsByMessage(db, ids) : Promise.resolve(new Map<string, LinkPreview>());
  // Awaited below; if a query above fails first, its rejection must not go unhandled meanwhile.
  previewing.catch(() => undefined);
  const [senders, reactions, attachments, polls, threads] = await Promise.all([
    senderIds.length === 1
      ? options.fresh
        ? cachedSender(db, senderIds[0] as string, () => senderOf.execute(db, senderIds[0] as string))
        : senderOf.execute(db, senderIds[0] as string)
      : senderIds.length
        ? sendersIn.execute(db, idListParameter(db, senderIds))
        : Promise.resolve([]),
    extras.reactions ? reactionsIn.execute(db, idListParameter(db, ids)) : Promise.resolve([]),
    extras.attachments ? attachmentsByMessage(db, ids) : Promise.resolve(new Map<string, Attachment[]>()),
    extras.polls ? pollsByMessage(db, ids) : Promise.resolve(new Map<string, Poll>()),
    extras.threads ? threadSummariesByRoot(db, ids) : Promise.resolve(new Map<string, ThreadSummary>()),
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
