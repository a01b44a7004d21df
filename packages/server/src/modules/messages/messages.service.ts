/**
 * Messages (E1–E7, E9–E11, E14): history, send (idempotent by client id), edit, delete
 * (tombstone), forward, reactions, read state and "seen by", typing. Access first, then
 * the actor's rate budget (access/rate-limits.ts); state changes only through `transact`,
 * one event each.
 */
import type {
  EditMessageParams,
  ForwardParams,
  HistoryQuery,
  MarkReadParams,
  Message,
  MessagePage,
  MessageRef,
  ReactionParams,
  SeenBy,
  SendMessageParams,
} from '@parley/protocol';
import type { Kysely } from 'kysely';
import type { Actor } from '../../access/actor.js';
import {
  assertCanDeleteMessage,
  assertCanEditMessage,
  assertCanPost,
  canQuote,
  canSeeMessage,
  type MessageRow,
  requireMember,
  requireReader,
  requireVisibleMessage,
} from '../../access/chat-access.js';
import { privacyRestricted } from '../../access/people-access.js';
import type { RateLimits } from '../../access/rate-limits.js';
import { now } from '../../clock.js';
import { AppError, notFound } from '../../errors.js';
import type { EphemeralEvent } from '../../realtime/bus.js';
import type { CommitTurn, Transact, UnitOfWork } from '../../realtime/event-log.js';
import type { Database } from '../../storage/schema.js';
import { isUniqueViolation } from '../../storage/unique-violation.js';
import type { FileRow } from '../attachments/attachments.repo.js';
import type { MessageFiles } from '../attachments/message-files.js';
import { contactsRepo } from '../contacts/contacts.repo.js';
import type { NotificationCentre } from '../notification-centre/notification-centre.service.js';
import { searchIndexFor } from '../search/search-index.js';
import { recordThreadReply, recordThreadReplyDeleted, threadRootOfSend } from '../threads/thread-replies.js';
import { groupMembersInChat } from '../user-groups/user-groups.repo.js';
import { appendMessage, NotAdmitted } from './append-message.js';
import { createHistoryCache, type SerialiseMessage } from './history-cache.js';
import { parseMentions } from './mentions.js';
import { presentMessage, presentMessages } from './messages.present.js';
import { messagesRepo } from './messages.repo.js';

export type MessagesService = ReturnType<typeof createMessagesService>;

/** The page that opens a chat: its newest messages, no cursor, no text filter. */
const isNewestPage = (query: HistoryQuery) => !query.around && query.before === undefined && query.after === undefined && !query.q?.trim();

export function createMessagesService(
  db: Kysely<Database>,
  transact: Transact,
  limits: RateLimits,
  publishEphemeral: (event: EphemeralEvent) => void,
  centre?: Pick<NotificationCentre, 'addIn' | 'addForEveryone'>,
  files?: MessageFiles,
) {
  const messages = messagesRepo(db);
  const historyCache = createHistoryCache();
  /** Told of each message stored by a send or a forward, after its commit; never of a retry's answer. */
  const sentListeners: Array<(message: Message) => Promise<void> | void> = [];
  async function announceSent(sent: Message[]): Promise<void> {
    for (const listener of sentListeners) for (const message of sent) await listener(message);
  }

  /**
   * Who the text mentions. `@all` in a shared message is one flag, however many members
   * the chat has; `everyone` also asks the notification centre to tell every member (`@all`)
   * or every member online (`@here`). In a private message either can only mean its one recipient.
   */
  async function resolveMentions(chatId: string, text: string, senderId: string, privateTo: string | null) {
    const { usernames, all, here } = parseMentions(text);
    const everyone = all ? ('all' as const) : here ? ('here' as const) : null;
    if (everyone && privateTo === null) {
      return { userIds: (await mentionedMembers(chatId, usernames)).filter((id) => id !== senderId), all, everyone };
    }
    if (everyone && privateTo !== null) return { userIds: [privateTo], all: false, everyone: null };
    if (usernames.length === 0) return { userIds: [], all: false, everyone: null };
    const ids = await mentionedMembers(chatId, usernames);
    return {
      userIds: ids.filter((id) => id !== senderId).filter((id) => privateTo === null || id === privateTo),
      all: false,
      everyone: null,
    };
  }

  /** Members named, and members of user groups named (E20): `@design` mentions the designers in this chat. */
  async function mentionedMembers(chatId: string, usernames: string[]): Promise<string[]> {
    if (usernames.length === 0) return [];
    const [named, grouped] = await Promise.all([messages.membersNamed(chatId, usernames), groupMembersInChat(db, chatId, usernames)]);
    return grouped.length === 0 ? named : [...new Set([...named, ...grouped])];
  }

  /** A delta, not the message's whole reaction list: in a big room that list is long and goes to everyone. */
  async function emitReaction(uow: UnitOfWork, message: MessageRow, change: { emoji: string; userId: string; added: boolean }) {
    await uow.emit({
      name: 'reaction.changed',
      chatId: message.chat_id,
      privateTo: message.private_to && message.sender_id ? [message.sender_id, message.private_to] : null,
      data: { chatId: message.chat_id, messageId: message.id, ...change },
    });
  }

  const privateScope = (m: MessageRow): [string, string] | null => (m.private_to && m.sender_id ? [m.sender_id, m.private_to] : null);

  /** Someone who blocked the sender gets nothing from them in their direct chat (the same answer as privacy). */
  async function assertDirectPeerAccepts(on: Kysely<Database>, senderId: string, directKey: string | null) {
    if (!directKey) return;
    const peerId = directKey.split(':').find((id) => id !== senderId);
    if (!peerId) return;
    if (await contactsRepo(on).blocks(peerId, senderId)) throw privacyRestricted('This person does not accept messages from you');
  }

  /** Each person named finds the mention in their notification centre (unless they blocked the sender). */
  async function notifyMentioned(uow: UnitOfWork, message: Message, userIds: string[]) {
    for (const userId of userIds)
      await centre?.addIn(uow, userId, {
        kind: 'mention',
        actorId: message.senderId,
        chatId: message.chatId,
        messageId: message.id,
        data: {
          excerpt: message.text.slice(0, 200),
          seq: message.seq,
          // A mention in a thread (E15): the app opens the thread.
          ...(message.threadRootId && { threadRootId: message.threadRootId }),
        },
      });
  }

  /** E2: the tombstone (seq kept, text, reactions and mentions gone) and its one event. */
  async function tombstone(message: MessageRow, byId: string | null) {
    await transact(async (uow) => {
      const at = now();
      await uow.db
        .updateTable('messages')
        .set({ text: '', deleted_at: at, mentions: '[]', mentions_all: 0 })
        .where('id', '=', message.id)
        .execute();
      await uow.db.deleteFrom('reactions').where('message_id', '=', message.id).execute();
      await uow.db.deleteFrom('mentions').where('message_id', '=', message.id).execute();
      await searchIndexFor(uow.db).remove(uow.db, message.id);
      // Its files become unreachable for everyone now; their bytes go after a grace period.
      await files?.release(uow.db, message.id);
      await recordThreadReplyDeleted(uow, message);
      await uow.emit({
        name: 'message.deleted',
        chatId: message.chat_id,
        privateTo: privateScope(message),
        data: {
          chatId: message.chat_id,
          messageId: message.id,
          seq: Number(message.seq),
          deletedAt: new Date(at).toISOString(),
          by: byId,
          // A thread's reply (E15): clients take it off the root's count and their thread badge.
          ...(message.thread_root_id && { threadRootId: message.thread_root_id }),
        },
      });
    });
  }

  /**
   * A person's send of text alone (no private recipient, reply, files or thread): by far
   * the most common, and the one whose right to post is checked by the statement that
   * takes the chat's seq (append-message.ts `checkPosting`) instead of a read before it.
   */
  const isPlainSend = (actor: Actor, params: SendMessageParams) =>
    !actor.bot && !params.privateTo && !params.replyTo && !params.attachments?.length && !params.threadRootId && !params.alsoToChat;

  /**
   * The answer a send gets when it may not post, from the same rules as any other
   * action (chat_not_found for a non-member, forbidden for an archived room). If they
   * admit it now, the chat changed since the send was refused; it stays refused.
   */
  async function refusal(actor: Actor, chatId: string): Promise<never> {
    assertCanPost(await requireMember(db, actor, chatId));
    throw notFound('chat_not_found', 'Chat');
  }

  /** The actor's send budget; a retry of a message that already landed is answered (returned), not refused. */
  async function consumeSendBudget(actor: Actor, params: SendMessageParams, unchecked = false): Promise<Message | null> {
    try {
      await limits.consume('send', actor.userId);
      return null;
    } catch (error) {
      // Who may not post hears that first, as when membership is read before the budget.
      if (unchecked) assertCanPost(await requireMember(db, actor, params.chatId));
      const original = await messages.findByClientId(actor.userId, params.clientId);
      if (original) return idempotentReply(params, original);
      throw error;
    }
  }

  async function sendPlain(actor: Actor, params: SendMessageParams, order?: CommitTurn): Promise<Message> {
    const retried = await consumeSendBudget(actor, params, true);
    if (retried) return retried;
    const mentioned = await resolveMentions(params.chatId, params.text, actor.userId, null);
    try {
      return await commitSend(actor, params, order, { privateTo: null, mentioned, checkPosting: true });
    } catch (error) {
      if (error instanceof NotAdmitted) return refusal(actor, params.chatId);
      throw error;
    }
  }

  interface CheckedSend {
    privateTo: string | null;
    mentioned: Awaited<ReturnType<typeof resolveMentions>>;
    attachments?: FileRow[] | undefined;
    threadRoot?: MessageRow | null;
    /** The right to post is checked in the unit (plain sends); else it was checked before. */
    checkPosting?: boolean;
  }

  /** Stores a checked send and answers it after its commit (and after the work that follows each stored message). */
  async function commitSend(actor: Actor, params: SendMessageParams, order: CommitTurn | undefined, send: CheckedSend): Promise<Message> {
    const { privateTo, mentioned, attachments, threadRoot } = send;
    // Nothing may be awaited between the turn and handing the unit to transact.
    if (order) await order.turn;
    try {
      const committing = transact(async (uow) => {
        const appended = await appendMessage(uow, {
          chatId: params.chatId,
          kind: 'text',
          senderId: actor.userId,
          clientId: params.clientId,
          text: params.text,
          replyToId: params.replyTo ?? null,
          privateTo,
          mentionedUserIds: mentioned.userIds,
          mentionsAll: mentioned.all,
          ...(attachments && { attachments }),
          ...(threadRoot && { threadRootId: threadRoot.id, alsoToChat: params.alsoToChat === true }),
          ...(send.checkPosting && { checkPosting: true }),
        });
        // Read in the unit when the chat was not read before it; refused, the unit rolls back whole.
        if (appended.chat?.kind === 'direct') await assertDirectPeerAccepts(uow.db, actor.userId, appended.chat.directKey);
        await notifyMentioned(uow, appended.message, mentioned.userIds);
        if (mentioned.everyone)
          await centre?.addForEveryone(uow, {
            everyone: mentioned.everyone,
            chatId: appended.message.chatId,
            messageId: appended.message.id,
            senderId: actor.userId,
            skipIds: mentioned.userIds,
            data: { excerpt: appended.message.text.slice(0, 200), seq: appended.message.seq },
          });
        if (threadRoot) await recordThreadReply(uow, threadRoot, appended.row);
        return appended;
      });
      order?.admitted();
      const { message } = await committing;
      await announceSent([message]);
      return message;
    } catch (error) {
      // The same send raced itself (a retry on another socket): the first one won.
      if (!isUniqueViolation(error, 'client_id')) throw error;
      const original = await messages.findByClientId(actor.userId, params.clientId);
      if (!original) throw error;
      return idempotentReply(params, original);
    }
  }

  async function idempotentReply(params: SendMessageParams, original: MessageRow): Promise<Message> {
    if (original.chat_id !== params.chatId) {
      throw new AppError('client_id_conflict', 'clientId was already used for a message in another chat', {
        location: 'body',
        field: 'clientId',
        rule: 'unique',
      });
    }
    return presentMessage(db, original);
  }

  /** E9 after the access check: pages by sequence — before, after, or around a message — oldest first. */
  async function readHistory(actor: Actor, chatId: string, query: HistoryQuery): Promise<MessagePage> {
    const limit = query.limit ?? 50;
    const text = query.q?.trim() || null;
    let rows: MessageRow[];
    let hasOlder = false;
    let hasNewer = false;
    if (query.around) {
      const anchor = await messages.findById(query.around);
      if (!anchor || anchor.chat_id !== chatId || !canSeeMessage(actor, anchor)) throw notFound('message_not_found', 'Message');
      const half = Math.floor(limit / 2);
      const older = await messages.older(chatId, actor.userId, Number(anchor.seq) + 1, limit - half + 1, text);
      const newer = await messages.newer(chatId, actor.userId, Number(anchor.seq), half + 1, text);
      hasOlder = older.length > limit - half;
      hasNewer = newer.length > half;
      rows = [...older.slice(0, limit - half).reverse(), ...newer.slice(0, half)];
    } else if (query.after !== undefined) {
      const newer = await messages.newer(chatId, actor.userId, query.after, limit + 1, text);
      hasNewer = newer.length > limit;
      hasOlder = query.after > 0;
      rows = newer.slice(0, limit);
    } else {
      const older = await messages.older(chatId, actor.userId, query.before ?? null, limit + 1, text);
      hasOlder = older.length > limit;
      hasNewer = query.before !== undefined;
      rows = older.slice(0, limit).reverse();
    }
    return { items: await presentMessages(db, rows), hasOlder, hasNewer };
  }

  return {
    /**
     * Adds work that follows every stored message (pushes, outgoing webhooks, link previews…),
     * sent over REST or a socket, scheduled or forwarded. It runs after the commit, so its
     * failure never loses the message; the sender's answer waits for it.
     */
    whenSent(listener: (message: Message) => Promise<void> | void): void {
      sentListeners.push(listener);
    },

    /** E9: pages by sequence — before, after, or around a message — oldest first. */
    async history(actor: Actor, chatId: string, query: HistoryQuery): Promise<MessagePage> {
      await requireMember(db, actor, chatId);
      return readHistory(actor, chatId, query);
    },

    /**
     * E9 over HTTP: the same page, and the chat's newest page (opening a chat) as JSON
     * bytes kept for its members until the chat's next event (history-cache.ts). Access
     * is checked in the database first, every time.
     */
    async historyJson(actor: Actor, chatId: string, query: HistoryQuery, serialise: SerialiseMessage): Promise<MessagePage | Buffer> {
      const { eventSeq } = await requireReader(db, actor, chatId);
      if (!isNewestPage(query)) return readHistory(actor, chatId, query);
      const limit = query.limit ?? 50;
      const kept = historyCache.newest(chatId, limit, eventSeq, actor.userId);
      if (kept) return kept;
      const generation = historyCache.generation();
      const rows = await messages.newestForAll(chatId, limit + 1);
      const presented = await presentMessages(db, rows);
      historyCache.keep(chatId, limit, { eventSeq, generation, asked: limit + 1, messages: presented }, serialise);
      // Not kept (a name changed meanwhile), or this viewer cannot see some of the rows kept.
      return historyCache.newest(chatId, limit, eventSeq, actor.userId) ?? readHistory(actor, chatId, query);
    },

    /** A person's name or username changed (on any instance): pages showing them are read again. */
    personChanged(userId: string): void {
      historyCache.forgetPerson(userId);
    },

    /** E1/E14: a retry with the same client id returns the original and creates nothing. */
    /** `order`: the socket's line of pipelined sends; see CommitTurn. */
    async send(actor: Actor, params: SendMessageParams, order?: CommitTurn): Promise<Message> {
      if (params.text === '' && !params.attachments?.length)
        throw new AppError('validation_failed', 'A message needs text or attachments', {
          location: 'body',
          field: 'text',
          rule: 'minLength',
        });
      if (isPlainSend(actor, params)) return sendPlain(actor, params, order);
      const access = await requireMember(db, actor, params.chatId);
      assertCanPost(access);
      // A retry (same clientId) is caught by the unique index below rather than looked up
      // first: retries are rare, and the common path saves a query.
      const privateTo = params.privateTo ?? null;
      if (privateTo !== null) {
        if (access.chat.kind === 'direct')
          throw new AppError('validation_failed', 'A direct chat is already private', {
            location: 'body',
            field: 'privateTo',
            rule: 'kind',
          });
        if (privateTo === actor.userId)
          throw new AppError('validation_failed', 'privateTo must be another member', {
            location: 'body',
            field: 'privateTo',
            rule: 'self',
          });
        const recipient = await db
          .selectFrom('chat_members')
          .select('user_id')
          .where('chat_id', '=', params.chatId)
          .where('user_id', '=', privateTo)
          .executeTakeFirst();
        if (!recipient)
          throw new AppError('user_not_found', 'privateTo is not a member of this chat', {
            location: 'body',
            field: 'privateTo',
            rule: 'member',
          });
      }
      if (params.replyTo) {
        const target = await messages.findById(params.replyTo);
        if (!target || target.chat_id !== params.chatId || !canSeeMessage(actor, target))
          throw notFound('message_not_found', 'Replied-to message');
        // A reply shows its original's text; to a private message it must be as private.
        if (!canQuote({ sender_id: actor.userId, private_to: privateTo }, target))
          throw new AppError('validation_failed', 'A reply to a private message must be private to the same person', {
            location: 'body',
            field: 'replyTo',
            rule: 'private',
          });
      }
      const retried = await consumeSendBudget(actor, params);
      if (retried) return retried;
      // Only a send naming files pays for looking them up; a caption is optional with files.
      const attachments = params.attachments?.length && files ? await files.filesToAttach(actor, params.attachments) : undefined;
      if (access.chat.kind === 'direct') await assertDirectPeerAccepts(db, actor.userId, access.chat.direct_key);
      const mentioned = await resolveMentions(params.chatId, params.text, actor.userId, privateTo);
      // A reply in a thread (E15); a send to the chat itself costs nothing here.
      const threadRoot = params.threadRootId || params.alsoToChat ? await threadRootOfSend(db, actor, params, privateTo) : null;
      return commitSend(actor, params, order, { privateTo, mentioned, attachments, threadRoot });
    },

    async idempotentReply(_actor: Actor, params: SendMessageParams, original: MessageRow): Promise<Message> {
      return idempotentReply(params, original);
    },

    async edit(actor: Actor, params: EditMessageParams): Promise<Message> {
      const { message } = await requireVisibleMessage(db, actor, params.chatId, params.messageId);
      assertCanEditMessage(actor, message);
      await limits.consume('action', actor.userId);
      const updated = await transact(async (uow) => {
        const row = await uow.db
          .updateTable('messages')
          .set({ text: params.text, edited_at: now() })
          .where('id', '=', message.id)
          .returningAll()
          .executeTakeFirstOrThrow();
        await searchIndexFor(uow.db).replace(uow.db, row);
        await uow.emit({
          name: 'message.updated',
          chatId: row.chat_id,
          messageId: row.id,
          privateTo: privateScope(row),
          data: { message: await presentMessage(uow.db, row) },
        });
        return row;
      });
      return presentMessage(db, updated);
    },

    /** E2: leaves a tombstone (seq kept, text, reactions and mentions gone). */
    async delete(actor: Actor, params: MessageRef): Promise<void> {
      const { message, ...access } = await requireVisibleMessage(db, actor, params.chatId, params.messageId);
      assertCanDeleteMessage(actor, access, message);
      await limits.consume('action', actor.userId);
      await tombstone(message, actor.userId);
    },

    /** E3: copies each message into each target chat, marked "forwarded from". */
    async forward(actor: Actor, params: ForwardParams): Promise<Message[]> {
      await requireMember(db, actor, params.chatId);
      const sources = (await messages.findByIds(params.chatId, params.messageIds)).filter((m) => canSeeMessage(actor, m));
      if (sources.length !== params.messageIds.length) throw notFound('message_not_found', 'Message');
      if (sources.some((m) => m.deleted_at !== null || m.kind !== 'text')) {
        throw new AppError('validation_failed', 'Deleted and system messages cannot be forwarded', {
          location: 'body',
          field: 'messageIds',
          rule: 'forwardable',
        });
      }
      for (const chatId of params.toChatIds) assertCanPost(await requireMember(db, actor, chatId));
      const senders = await db
        .selectFrom('users')
        .select(['id', 'display_name'])
        .where(
          'id',
          'in',
          sources.flatMap((s) => (s.sender_id ? [s.sender_id] : [])),
        )
        .execute();
      await limits.consume('send', actor.userId);
      // A forward holds the same stored files as its source: no bytes are copied.
      const sourceFiles = files ? await files.filesOf(sources.map((s) => s.id)) : new Map<string, never[]>();
      const sent = await transact(async (uow) => {
        const created: Message[] = [];
        // In id order: forwards into overlapping chats lock their streams in the same order.
        for (const chatId of [...params.toChatIds].sort()) {
          for (const source of sources) {
            const original = source.forwarded_from ? (JSON.parse(source.forwarded_from) as object) : null;
            const appended = await appendMessage(uow, {
              chatId,
              kind: 'text',
              senderId: actor.userId,
              text: source.text,
              attachments: sourceFiles.get(source.id) ?? [],
              forwardedFrom: original ?? {
                messageId: source.id,
                chatId: source.chat_id,
                senderId: source.sender_id,
                senderName: senders.find((s) => s.id === source.sender_id)?.display_name ?? 'Unknown',
              },
            });
            created.push(appended.message);
          }
        }
        return created;
      });
      await announceSent(sent);
      return sent;
    },

    async addReaction(actor: Actor, params: ReactionParams): Promise<Message> {
      const { message } = await requireVisibleMessage(db, actor, params.chatId, params.messageId);
      if (message.deleted_at !== null) throw new AppError('forbidden', 'A deleted message cannot get reactions');
      await limits.consume('action', actor.userId);
      const exists = await db
        .selectFrom('reactions')
        .select('emoji')
        .where('message_id', '=', message.id)
        .where('user_id', '=', actor.userId)
        .where('emoji', '=', params.emoji)
        .executeTakeFirst();
      if (!exists) {
        try {
          await transact(async (uow) => {
            await uow.db
              .insertInto('reactions')
              .values({ message_id: message.id, user_id: actor.userId, emoji: params.emoji, created_at: now() })
              .execute();
            await emitReaction(uow, message, { emoji: params.emoji, userId: actor.userId, added: true });
          });
        } catch (error) {
          // The same reaction added twice at once: the primary key kept one.
          if (!isUniqueViolation(error, 'emoji') && !isUniqueViolation(error, 'reactions_pk')) throw error;
        }
      }
      return presentMessage(db, message);
    },

    async removeReaction(actor: Actor, params: ReactionParams): Promise<Message> {
      const { message } = await requireVisibleMessage(db, actor, params.chatId, params.messageId);
      await limits.consume('action', actor.userId);
      await transact(async (uow) => {
        const result = await uow.db
          .deleteFrom('reactions')
          .where('message_id', '=', message.id)
          .where('user_id', '=', actor.userId)
          .where('emoji', '=', params.emoji)
          .executeTakeFirst();
        if (Number(result.numDeletedRows) > 0)
          await emitReaction(uow, message, { emoji: params.emoji, userId: actor.userId, added: false });
      });
      return presentMessage(db, message);
    },

    /** E10/E11: moves the reader's position forward (never back); all their devices and the chat hear it. */
    async markRead(actor: Actor, params: MarkReadParams): Promise<{ chatId: string; lastReadSeq: number }> {
      const { chat, member } = await requireMember(db, actor, params.chatId);
      await limits.consume('readTyping', actor.userId);
      const target = Math.min(params.seq, Number(chat.last_seq));
      if (target <= Number(member.last_read_seq)) return { chatId: chat.id, lastReadSeq: Number(member.last_read_seq) };
      await transact(async (uow) => {
        await uow.db
          .updateTable('chat_members')
          .set({ last_read_seq: target })
          .where('chat_id', '=', chat.id)
          .where('user_id', '=', actor.userId)
          .where('last_read_seq', '<', target)
          .execute();
        await uow.emit({ name: 'read.updated', chatId: chat.id, data: { chatId: chat.id, userId: actor.userId, lastReadSeq: target } });
      });
      return { chatId: chat.id, lastReadSeq: target };
    },

    /** E10 ★: who (other than the sender) has read up to this message. */
    async seenBy(actor: Actor, params: MessageRef): Promise<SeenBy> {
      const { message } = await requireVisibleMessage(db, actor, params.chatId, params.messageId);
      const readers = await db
        .selectFrom('chat_members')
        .innerJoin('users', 'users.id', 'chat_members.user_id')
        .select(['users.id', 'users.display_name', 'chat_members.last_read_seq'])
        .where('chat_members.chat_id', '=', message.chat_id)
        .where('chat_members.last_read_seq', '>=', Number(message.seq))
        .$if(message.sender_id !== null, (qb) => qb.where('users.id', '!=', message.sender_id ?? ''))
        .$if(message.private_to !== null, (qb) => qb.where('users.id', '=', message.private_to ?? ''))
        .orderBy('users.display_name')
        .execute();
      return { items: readers.map((r) => ({ userId: r.id, displayName: r.display_name, lastReadSeq: Number(r.last_read_seq) })) };
    },

    /** E12: ephemeral; never stored. */
    async typing(actor: Actor, chatId: string): Promise<void> {
      await requireMember(db, actor, chatId);
      await limits.consume('readTyping', actor.userId);
      publishEphemeral({
        kind: 'ephemeral',
        name: 'typing',
        chatId,
        userIds: null,
        exceptUserId: actor.userId,
        data: { chatId, userId: actor.userId },
      });
    },

    /**
     * Server moderation and retention (modules/admin, after access/server-access.ts):
     * removes a message of a chat as its sender could; `byId` null for retention.
     */
    async removeByModerator(chatId: string, messageId: string, byId: string | null): Promise<void> {
      const message = await messages.findById(messageId);
      if (!message || message.chat_id !== chatId) throw notFound('message_not_found', 'Message');
      if (message.deleted_at !== null) return;
      await tombstone(message, byId);
    },
  };
}
