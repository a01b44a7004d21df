/**
 * Conversations (D1–D8, D10): direct chats, groups, public rooms; members and roles;
 * the chat list with unread and mention counts. Every method checks access first and
 * changes state only through `transact`, which records and publishes one event per change.
 */
import {
  type AddMembersParams,
  type Chat,
  type ChatList,
  type ChatMember,
  type CreateChatParams,
  chatStream,
  type MemberList,
  type MemberRef,
  type MuteParams,
  type RoomDirectoryQuery,
  type RoomPage,
  type SetRoleParams,
  type UpdateChatParams,
} from '@parley/protocol';
import type { Kysely } from 'kysely';
import type { Actor } from '../../access/actor.js';
import { assertNotBot } from '../../access/bot-access.js';
import {
  assertCanAddMembers,
  assertCanEditChat,
  assertCanLeave,
  assertCanRemoveMember,
  assertOwner,
  type ChatAccess,
  type ChatRow,
  requireMember,
} from '../../access/chat-access.js';
import { assertMayAddToGroup, between, mayStartDirect, presenceVisibleTo, privacyRestricted } from '../../access/people-access.js';
import type { RateLimits } from '../../access/rate-limits.js';
import { now } from '../../clock.js';
import { AppError, notFound } from '../../errors.js';
import { newId } from '../../ids.js';
import type { Transact, UnitOfWork } from '../../realtime/event-log.js';
import { eventLogRepo } from '../../realtime/event-log.repo.js';
import { decodeCursor, encodeCursor } from '../../storage/cursor.js';
import type { Database } from '../../storage/schema.js';
import { isUniqueViolation } from '../../storage/unique-violation.js';
import { appendMessage, systemMessage } from '../messages/append-message.js';
import { presentMessages } from '../messages/messages.present.js';
import type { NotificationCentre } from '../notification-centre/notification-centre.service.js';
import { presentUser } from '../users/users.present.js';
import { usersRepo } from '../users/users.repo.js';
import { presentChat, presentChatCore, presentMember } from './chats.present.js';
import { chatsRepo } from './chats.repo.js';

export interface Presence {
  isOnline(userId: string): boolean;
}

export type ChatsService = ReturnType<typeof createChatsService>;

const directKey = (a: string, b: string) => (a < b ? `${a}:${b}` : `${b}:${a}`);

/**
 * The chat list's order: newest message the viewer can see first. A chat's last_activity_at
 * also moves for a private message between two other members, which must not bring the chat
 * up for the rest of the group (the web app orders the same way, state/chat-list.ts); the
 * lastActivityAt a viewer is given is already only what they may see (chatsRepo.activitySeen).
 */
const activitySeen = (chat: Chat) => chat.lastMessage?.createdAt ?? chat.lastActivityAt;
const byActivitySeen = (a: Chat, b: Chat) => activitySeen(b).localeCompare(activitySeen(a)) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** A chat as its events carry it to every member alike: with the last activity all of them may see. */
const chatForAll = async (uow: UnitOfWork, row: ChatRow) => presentChatCore(row, await chatsRepo(uow.db).activitySeenByAll(row));

export function createChatsService(
  db: Kysely<Database>,
  transact: Transact,
  presence: Presence,
  limits: RateLimits,
  centre?: Pick<NotificationCentre, 'addIn'>,
) {
  /** Every change spends from the actor's budget, after the access check (access/rate-limits.ts). */
  const spend = (actor: Actor) => limits.consume('action', actor.userId);

  const chats = chatsRepo(db);
  const users = usersRepo(db);

  async function requireLiveUsers(ids: string[]) {
    const rows = await users.findByIds(ids);
    const live = rows.filter((u) => u.deleted_at === null);
    const missing = ids.find((id) => !live.some((u) => u.id === id));
    if (missing) throw new AppError('user_not_found', `User ${missing} not found`, { location: 'body', field: 'userIds', rule: 'exists' });
    // A bot reads only what its owner scoped it to, so only its owner brings it into a chat (modules/bots).
    if (live.some((u) => u.bot_owner_id != null))
      throw new AppError('forbidden', 'Bots join chats through their owner’s bot settings', {
        location: 'body',
        field: 'userIds',
        rule: 'bot',
      });
    return live;
  }

  async function viewChat(actor: Actor, chatId: string): Promise<Chat> {
    const list = await listChats(actor, [chatId]);
    const chat = list.items[0];
    if (!chat) throw notFound('chat_not_found', 'Chat');
    return chat;
  }

  /** `only`: just these chats — one chat's view does not recompute the whole list. */
  async function listChats(actor: Actor, only?: string[]): Promise<ChatList> {
    const rows = await chats.listForUser(actor.userId, only);
    const ids = rows.map((r) => r.id);
    const [unread, mentions, lastMessages, activity] = await Promise.all([
      chats.unreadCounts(actor.userId, only),
      chats.mentionCounts(actor.userId, only),
      chats.lastVisibleMessages(ids, actor.userId),
      chats.activitySeen(rows, actor.userId),
    ]);
    const directIds = rows.filter((r) => r.kind === 'direct').map((r) => r.id);
    const peers = directIds.length
      ? await db
          .selectFrom('chat_members')
          .innerJoin('users', 'users.id', 'chat_members.user_id')
          .selectAll('users')
          .select('chat_members.chat_id')
          .where('chat_members.chat_id', 'in', directIds)
          .where('chat_members.user_id', '!=', actor.userId)
          .execute()
      : [];
    const [presented, peerPresence] = await Promise.all([
      presentMessages(db, lastMessages),
      presenceVisibleTo(
        db,
        actor.userId,
        peers.map((p) => p.id),
      ),
    ]);
    const unreadBy = new Map(unread.map((u) => [u.chat_id, Number(u.count)]));
    const mentionsBy = new Map(mentions.map((m) => [m.chat_id, Number(m.count)]));
    const lastBy = new Map(presented.map((m) => [m.chatId, m]));
    const peerBy = new Map(peers.map((p) => [p.chat_id, p]));
    const items = rows.map(({ role, last_read_seq, muted, joined_at: _joined, ...row }) => {
      const peer = peerBy.get(row.id);
      return presentChat(row, {
        role,
        lastReadSeq: Number(last_read_seq),
        muted: Boolean(muted),
        unreadCount: unreadBy.get(row.id) ?? 0,
        mentionCount: mentionsBy.get(row.id) ?? 0,
        lastMessage: lastBy.get(row.id) ?? null,
        // The other one of a direct chat shares it with the viewer.
        peer: peer ? presentUser(peer, { seesLastSeen: peerPresence.has(peer.id) }) : null,
        activityAt: activity.get(row.id) ?? Number(row.last_activity_at),
      });
    });
    return { items: items.sort(byActivitySeen) };
  }

  /** Adds membership rows and returns the updated chat and the new members, emitting nothing. */
  async function insertMemberRows(uow: UnitOfWork, chat: ChatRow, userIds: string[], role: ChatMember['role']) {
    const at = now();
    const roleOf = (userId: string): ChatMember['role'] => (userId === chat.owner_id ? 'owner' : role);
    await uow.db
      .insertInto('chat_members')
      .values(
        userIds.map((userId) => ({
          chat_id: chat.id,
          user_id: userId,
          role: roleOf(userId),
          joined_at: at,
          last_read_seq: 0,
          muted: 0,
          joined_seq: 0,
        })),
      )
      .execute();
    const updated = await uow.db
      .updateTable('chats')
      .set((eb) => ({ member_count: eb('member_count', '+', userIds.length) }))
      .where('id', '=', chat.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    const added = await usersRepo(uow.db).findByIds(userIds);
    // Events reach every member alike, so they carry nobody's presence or last seen: who
    // may see those differs per reader (privacy settings), and member lists answer it.
    const members = added.map((u) => presentMember(u, { role: roleOf(u.id), joined_at: at, last_read_seq: 0 }, false, false));
    return { updated, members };
  }

  /** People added to a group or room by someone else find it in their notification centre. */
  async function notifyAdded(uow: UnitOfWork, chat: ChatRow, userIds: string[], actorId: string) {
    for (const userId of userIds)
      await centre?.addIn(uow, userId, { kind: 'group_invite', actorId, chatId: chat.id, data: { chatName: chat.name } });
  }

  async function insertMembers(uow: UnitOfWork, chat: ChatRow, userIds: string[], role: ChatMember['role'], actorId: string | null) {
    const { updated, members } = await insertMemberRows(uow, chat, userIds, role);
    const seq = await uow.emit({
      name: 'member.joined',
      chatId: chat.id,
      data: { chatId: chat.id, chat: await chatForAll(uow, updated), members, by: actorId },
    });
    // Newcomers see the chat's stream from their join on, never what came before.
    await eventLogRepo(uow.db).setJoinedSeq(chat.id, userIds, seq);
    return updated;
  }

  /** A new chat with its first members: one `chat.created` event that carries them all. */
  async function insertChat(uow: UnitOfWork, chat: ChatRow, ownerIds: string[], memberIds: string[], actorId: string) {
    await uow.db.insertInto('chats').values(chat).execute();
    const owners = ownerIds.length ? await insertMemberRows(uow, chat, ownerIds, 'owner') : null;
    const others = memberIds.length ? await insertMemberRows(uow, owners?.updated ?? chat, memberIds, 'member') : null;
    const updated = others?.updated ?? owners?.updated ?? chat;
    const members = [...(owners?.members ?? []), ...(others?.members ?? [])];
    const seq = await uow.emit({
      name: 'chat.created',
      chatId: chat.id,
      data: { chatId: chat.id, chat: await chatForAll(uow, updated), members, by: actorId },
    });
    await eventLogRepo(uow.db).setJoinedSeq(chat.id, [...ownerIds, ...memberIds], seq);
  }

  async function deleteMember(uow: UnitOfWork, chat: ChatRow, userId: string, reason: 'left' | 'removed', actorId: string) {
    await uow.db.deleteFrom('chat_members').where('chat_id', '=', chat.id).where('user_id', '=', userId).execute();
    await uow.db.deleteFrom('mentions').where('chat_id', '=', chat.id).where('user_id', '=', userId).execute();
    const updated = await uow.db
      .updateTable('chats')
      .set((eb) => ({ member_count: eb('member_count', '-', 1) }))
      .where('id', '=', chat.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    // Seen by the remaining members and by the one who is gone, who hears nothing after.
    await uow.emit({
      name: 'member.left',
      chatId: chat.id,
      data: { chatId: chat.id, chat: await chatForAll(uow, updated), userId, reason, by: actorId },
    });
    return updated;
  }

  async function deleteChat(uow: UnitOfWork, chat: ChatRow, actorId: string | null) {
    // One event, the last of the chat's stream, tells every member at once; what came
    // before it goes with the chat (it is left only so in-flight deliveries end in order).
    const seq = await uow.emit({ name: 'chat.deleted', chatId: chat.id, data: { chatId: chat.id, by: actorId } });
    await eventLogRepo(uow.db).deleteStreamBefore(chatStream(chat.id), seq);
    await uow.db.deleteFrom('chats').where('id', '=', chat.id).execute();
  }

  /** The next owner when the owner goes: the longest-standing admin, else member. */
  async function successorOf(uow: UnitOfWork, chat: ChatRow, leavingId: string) {
    return uow.db
      .selectFrom('chat_members')
      .selectAll()
      .where('chat_id', '=', chat.id)
      .where('user_id', '!=', leavingId)
      .orderBy((eb) => eb.case().when('role', '=', 'admin').then(0).else(1).end())
      .orderBy('joined_at')
      .orderBy('user_id')
      .executeTakeFirst();
  }

  async function transferOwnership(uow: UnitOfWork, chat: ChatRow, fromId: string | null, toId: string, actorId: string | null) {
    if (fromId) {
      await uow.db
        .updateTable('chat_members')
        .set({ role: 'admin' })
        .where('chat_id', '=', chat.id)
        .where('user_id', '=', fromId)
        .execute();
      await uow.emit({ name: 'member.updated', chatId: chat.id, data: { chatId: chat.id, userId: fromId, role: 'admin' } });
    }
    await uow.db.updateTable('chat_members').set({ role: 'owner' }).where('chat_id', '=', chat.id).where('user_id', '=', toId).execute();
    const updated = await uow.db
      .updateTable('chats')
      .set({ owner_id: toId })
      .where('id', '=', chat.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await uow.emit({ name: 'member.updated', chatId: chat.id, data: { chatId: chat.id, userId: toId, role: 'owner' } });
    await uow.emit({ name: 'chat.updated', chatId: chat.id, data: { chat: await chatForAll(uow, updated) } });
    await appendMessage(uow, systemMessage(chat.id, { action: 'ownership_transferred', actorId, targetIds: [toId] }));
  }

  /** Leaving: the owner's chat passes on first; the last one out deletes it. */
  async function leave(uow: UnitOfWork, chat: ChatRow, userId: string) {
    if (chat.owner_id === userId) {
      const next = await successorOf(uow, chat, userId);
      if (!next) return deleteChat(uow, chat, userId);
      await transferOwnership(uow, chat, null, next.user_id, null);
    }
    await deleteMember(uow, chat, userId, 'left', userId);
    await appendMessage(uow, systemMessage(chat.id, { action: 'left', actorId: userId, targetIds: [userId] }));
  }

  return {
    listChats: (actor: Actor) => listChats(actor),

    async getChat(actor: Actor, chatId: string): Promise<Chat> {
      await requireMember(db, actor, chatId);
      return viewChat(actor, chatId);
    },

    /** D1: one chat per pair, reused on every later open. */
    async openDirect(actor: Actor, userId: string): Promise<Chat> {
      assertNotBot(actor, 'start chats');
      const [peer] = await requireLiveUsers([userId]);
      if (!peer) throw notFound('user_not_found', 'User');
      const key = directKey(actor.userId, userId);
      const existing = await chats.findByDirectKey(key);
      if (existing) return viewChat(actor, existing.id);
      if (userId !== actor.userId && !mayStartDirect(await between(db, actor.userId, userId)))
        throw privacyRestricted('This person does not accept direct chats from you', {
          location: 'body',
          field: 'userId',
          rule: 'privacy',
        });
      await spend(actor);
      const at = now();
      const chat: ChatRow = {
        id: newId(),
        avatar_id: null,
        kind: 'direct',
        name: '',
        name_search: '',
        description: '',
        handle: null,
        direct_key: key,
        owner_id: null,
        members_can_edit: 0,
        members_can_add: 0,
        members_can_pin: 0,
        member_count: 0,
        last_seq: 0,
        event_seq: 0,
        archived_at: null,
        retention_days: null,
        created_at: at,
        last_activity_at: at,
      };
      try {
        await transact(async (uow) => {
          await insertChat(uow, chat, [], [...new Set([actor.userId, userId])], actor.userId);
        });
      } catch (error) {
        // Both people opened the chat at once: the unique key chose one; use it.
        if (!isUniqueViolation(error, 'direct_key')) throw error;
      }
      const created = await chats.findByDirectKey(key);
      if (!created) throw notFound('chat_not_found', 'Chat');
      return viewChat(actor, created.id);
    },

    async createChat(actor: Actor, params: CreateChatParams): Promise<Chat> {
      assertNotBot(actor, 'start chats');
      if (params.kind === 'room' && !params.handle) {
        throw new AppError('validation_failed', 'handle is required for a room', { location: 'body', field: 'handle', rule: 'required' });
      }
      if (params.kind === 'group' && params.handle) {
        throw new AppError('validation_failed', 'handle is only for rooms', { location: 'body', field: 'handle', rule: 'kind' });
      }
      const memberIds = (params.memberIds ?? []).filter((id) => id !== actor.userId);
      await requireLiveUsers(memberIds);
      await assertMayAddToGroup(db, actor.userId, memberIds);
      const handle = params.handle?.toLowerCase() ?? null;
      if (handle && (await chats.findByHandle(handle))) {
        throw new AppError('handle_taken', `handle "${handle}" is taken`, { location: 'body', field: 'handle', rule: 'unique' });
      }
      const at = now();
      const name = params.name.trim();
      if (!name) throw new AppError('validation_failed', 'name must not be blank', { location: 'body', field: 'name', rule: 'minLength' });
      await spend(actor);
      const chat: ChatRow = {
        id: newId(),
        avatar_id: null,
        kind: params.kind,
        name,
        name_search: name.toLowerCase(),
        description: params.description ?? '',
        handle,
        direct_key: null,
        owner_id: actor.userId,
        members_can_edit: 0,
        members_can_add: 1,
        members_can_pin: 0,
        member_count: 0,
        last_seq: 0,
        event_seq: 0,
        archived_at: null,
        retention_days: null,
        created_at: at,
        last_activity_at: at,
      };
      try {
        await transact(async (uow) => {
          await insertChat(uow, chat, [actor.userId], memberIds, actor.userId);
          await appendMessage(uow, systemMessage(chat.id, { action: 'created', actorId: actor.userId, targetIds: [], name }));
          if (memberIds.length)
            await appendMessage(uow, systemMessage(chat.id, { action: 'added', actorId: actor.userId, targetIds: memberIds }));
          await notifyAdded(uow, chat, memberIds, actor.userId);
        });
      } catch (error) {
        if (isUniqueViolation(error, 'handle'))
          throw new AppError('handle_taken', `handle "${handle}" is taken`, { location: 'body', field: 'handle', rule: 'unique' });
        throw error;
      }
      return viewChat(actor, chat.id);
    },

    async updateChat(actor: Actor, params: UpdateChatParams): Promise<Chat> {
      const access = await requireMember(db, actor, params.chatId);
      assertCanEditChat(access);
      const settingsChange =
        params.membersCanEdit !== undefined || params.membersCanAdd !== undefined || params.membersCanPin !== undefined;
      if (settingsChange && access.member.role !== 'owner' && access.member.role !== 'admin') {
        throw new AppError('forbidden', 'Only the owner and admins may change who can edit or add members');
      }
      const name = params.name?.trim();
      if (name !== undefined && !name)
        throw new AppError('validation_failed', 'name must not be blank', { location: 'body', field: 'name', rule: 'minLength' });
      await spend(actor);
      await transact(async (uow) => {
        const updated = await uow.db
          .updateTable('chats')
          .set({
            ...(name !== undefined && { name, name_search: name.toLowerCase() }),
            ...(params.description !== undefined && { description: params.description }),
            ...(params.membersCanEdit !== undefined && { members_can_edit: params.membersCanEdit ? 1 : 0 }),
            ...(params.membersCanAdd !== undefined && { members_can_add: params.membersCanAdd ? 1 : 0 }),
            ...(params.membersCanPin !== undefined && { members_can_pin: params.membersCanPin ? 1 : 0 }),
          })
          .where('id', '=', params.chatId)
          .returningAll()
          .executeTakeFirstOrThrow();
        await uow.emit({ name: 'chat.updated', chatId: params.chatId, data: { chat: await chatForAll(uow, updated), by: actor.userId } });
        if (name !== undefined && name !== access.chat.name) {
          await appendMessage(uow, systemMessage(params.chatId, { action: 'renamed', actorId: actor.userId, targetIds: [], name }));
        }
      });
      return viewChat(actor, params.chatId);
    },

    async deleteChat(actor: Actor, chatId: string): Promise<void> {
      const access = await requireMember(db, actor, chatId);
      assertOwner(access, 'be deleted except by its owner');
      await spend(actor);
      await transact((uow) => deleteChat(uow, access.chat, actor.userId));
    },

    async listMembers(actor: Actor, chatId: string): Promise<MemberList> {
      await requireMember(db, actor, chatId);
      const rows = await chats.members(chatId);
      // Presence and last seen only of those whose privacy settings and blocks allow it.
      const visible = await presenceVisibleTo(
        db,
        actor.userId,
        rows.map((r) => r.id),
      );
      return {
        items: rows.map(({ role, joined_at, last_read_seq, delivered_seq, ...user }) =>
          presentMember(
            user,
            { role, joined_at, last_read_seq, delivered_seq },
            visible.has(user.id) && presence.isOnline(user.id),
            visible.has(user.id),
          ),
        ),
      };
    },

    async addMembers(actor: Actor, params: AddMembersParams): Promise<MemberList> {
      const access = await requireMember(db, actor, params.chatId);
      assertCanAddMembers(access);
      await spend(actor);
      await requireLiveUsers(params.userIds);
      const existing = await chats.members(params.chatId);
      const fresh = params.userIds.filter((id) => !existing.some((m) => m.id === id));
      if (fresh.length === 0) throw new AppError('already_member', 'Everyone listed is already a member');
      await assertMayAddToGroup(db, actor.userId, fresh);
      await transact(async (uow) => {
        await insertMembers(uow, access.chat, fresh, 'member', actor.userId);
        await appendMessage(uow, systemMessage(params.chatId, { action: 'added', actorId: actor.userId, targetIds: fresh }));
        await notifyAdded(uow, access.chat, fresh, actor.userId);
      });
      return this.listMembers(actor, params.chatId);
    },

    async removeMember(actor: Actor, params: MemberRef): Promise<void> {
      const access = await requireMember(db, actor, params.chatId);
      const target = await chats.member(params.chatId, params.userId);
      if (!target) throw notFound('user_not_found', 'Member');
      assertCanRemoveMember(access, target);
      await spend(actor);
      await transact(async (uow) => {
        await deleteMember(uow, access.chat, params.userId, 'removed', actor.userId);
        await appendMessage(uow, systemMessage(params.chatId, { action: 'removed', actorId: actor.userId, targetIds: [params.userId] }));
      });
    },

    async setRole(actor: Actor, params: SetRoleParams): Promise<void> {
      const access = await requireMember(db, actor, params.chatId);
      assertOwner(access, 'have roles changed except by its owner');
      const target = await chats.member(params.chatId, params.userId);
      if (!target) throw notFound('user_not_found', 'Member');
      if (target.role === 'owner') throw new AppError('forbidden', 'Transfer ownership instead of changing the owner’s role');
      await spend(actor);
      if (target.role === params.role) return;
      await transact(async (uow) => {
        await uow.db
          .updateTable('chat_members')
          .set({ role: params.role })
          .where('chat_id', '=', params.chatId)
          .where('user_id', '=', params.userId)
          .execute();
        await uow.emit({
          name: 'member.updated',
          chatId: params.chatId,
          data: { chatId: params.chatId, userId: params.userId, role: params.role, by: actor.userId },
        });
        await appendMessage(
          uow,
          systemMessage(params.chatId, { action: 'role_changed', actorId: actor.userId, targetIds: [params.userId], role: params.role }),
        );
      });
    },

    async transferOwnership(actor: Actor, params: MemberRef): Promise<void> {
      const access = await requireMember(db, actor, params.chatId);
      assertOwner(access, 'change hands except by its owner');
      await spend(actor);
      const target = await chats.member(params.chatId, params.userId);
      if (!target) throw notFound('user_not_found', 'Member');
      if (target.user_id === actor.userId) return;
      await transact((uow) => transferOwnership(uow, access.chat, actor.userId, params.userId, actor.userId));
    },

    async leaveChat(actor: Actor, chatId: string): Promise<void> {
      const access: ChatAccess = await requireMember(db, actor, chatId);
      assertCanLeave(access);
      await spend(actor);
      await transact((uow) => leave(uow, access.chat, actor.userId));
    },

    /** D3: anyone may join a public room; groups and direct chats stay invisible (404). */
    async joinRoom(actor: Actor, chatId: string): Promise<Chat> {
      const chat = await chats.findById(chatId);
      if (chat?.kind !== 'room') throw notFound('chat_not_found', 'Chat');
      if (await chats.member(chatId, actor.userId)) return viewChat(actor, chatId);
      await spend(actor);
      try {
        await transact(async (uow) => {
          await insertMembers(uow, chat, [actor.userId], 'member', actor.userId);
          await appendMessage(uow, systemMessage(chatId, { action: 'joined', actorId: actor.userId, targetIds: [actor.userId] }));
        });
      } catch (error) {
        // Joined twice at once: the primary key kept one membership.
        if (!isUniqueViolation(error, 'chat_id') && !isUniqueViolation(error, 'user_id') && !String(error).includes('chat_members'))
          throw error;
      }
      return viewChat(actor, chatId);
    },

    async rooms(actor: Actor, query: RoomDirectoryQuery): Promise<RoomPage> {
      const limit = query.limit ?? 20;
      const q = query.q?.trim().toLowerCase() || null;
      const after = query.cursor ? decodeCursor(query.cursor, 'handle') : null;
      const rows = await chats.rooms(q, after, limit + 1);
      const page = rows.slice(0, limit);
      const joined = new Set(await chats.chatIdsOf(actor.userId));
      const last = page.at(-1);
      return {
        items: page.map((r) => ({
          id: r.id,
          name: r.name,
          handle: r.handle ?? '',
          description: r.description,
          memberCount: Number(r.member_count),
          joined: joined.has(r.id),
        })),
        nextCursor: rows.length > limit && last ? encodeCursor({ handle: last.handle ?? '' }) : null,
      };
    },

    async setMuted(actor: Actor, params: MuteParams): Promise<Chat> {
      await requireMember(db, actor, params.chatId);
      await spend(actor);
      await transact(async (uow) => {
        // Mute is personal: only the member's own devices hear of it.
        await uow.emit({
          name: 'member.updated',
          userId: actor.userId,
          data: { chatId: params.chatId, userId: actor.userId, muted: params.muted },
        });
        await uow.db
          .updateTable('chat_members')
          .set({ muted: params.muted ? 1 : 0 })
          .where('chat_id', '=', params.chatId)
          .where('user_id', '=', actor.userId)
          .execute();
      });
      return viewChat(actor, params.chatId);
    },

    /** A7: before an account goes, its chats are handed over or deleted, and it leaves them all. */
    async leaveAllChats(userId: string): Promise<void> {
      const rows = await chats.listForUser(userId);
      for (const row of rows) {
        if (row.kind === 'direct') continue;
        const { role: _r, last_read_seq: _l, muted: _m, joined_at: _j, ...chat } = row;
        await transact((uow) => leave(uow, chat, userId));
      }
    },

    chatIdsOf: (userId: string) => chats.chatIdsOf(userId),

    /**
     * Server moderation (modules/admin), called after access/server-access.ts allowed it:
     * the same changes and events as the chat's own owner would make.
     */
    moderation: {
      removeMember: async (chat: ChatRow, userId: string, byId: string) => {
        if (!(await chats.member(chat.id, userId))) throw notFound('user_not_found', 'Member');
        if (chat.owner_id === userId) throw new AppError('forbidden', 'Give the room another owner before removing its owner');
        await transact(async (uow) => {
          await deleteMember(uow, chat, userId, 'removed', byId);
          await appendMessage(uow, systemMessage(chat.id, { action: 'removed', actorId: byId, targetIds: [userId] }));
        });
      },
      deleteChat: (chat: ChatRow, byId: string) => transact((uow) => deleteChat(uow, chat, byId)),
      /** Archived (read-only) or open again; every member's devices hear it as `chat.updated`, so composers lock at once. */
      setArchived: (chat: ChatRow, archivedAt: number | null, byId: string) =>
        transact(async (uow) => {
          const updated = await uow.db
            .updateTable('chats')
            .set({ archived_at: archivedAt })
            .where('id', '=', chat.id)
            .returningAll()
            .executeTakeFirstOrThrow();
          await uow.emit({ name: 'chat.updated', chatId: chat.id, data: { chat: await chatForAll(uow, updated), by: byId } });
        }),
      /** A bot joins a chat its owner scoped it to (modules/bots, after the owner's own access check). */
      addBot: async (chat: ChatRow, botId: string, byId: string) => {
        if (await chats.member(chat.id, botId)) return;
        await transact(async (uow) => {
          await insertMembers(uow, chat, [botId], 'member', byId);
          await appendMessage(uow, systemMessage(chat.id, { action: 'added', actorId: byId, targetIds: [botId] }));
        });
      },
      /** A new owner, made a member first if they are not one. */
      transferOwnership: async (chat: ChatRow, toId: string, byId: string) => {
        const isMember = (await chats.member(chat.id, toId)) !== undefined;
        await transact(async (uow) => {
          if (!isMember) await insertMembers(uow, chat, [toId], 'member', byId);
          await transferOwnership(uow, chat, chat.owner_id, toId, byId);
        });
      },
    },
  };
}
