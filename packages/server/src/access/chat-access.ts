/**
 * Every authorization rule about chats and messages, and nowhere else. Each rule is a
 * small function with one condition per line. A chat or message the actor may not see
 * answers exactly like a missing one (404), so ids cannot be probed; an action the actor
 * may see but not perform answers 403.
 */
import type { Kysely, Selectable } from 'kysely';
import { AppError, notFound } from '../errors.js';
import { precompile } from '../storage/precompiled.js';
import type { ChatMembersTable, ChatsTable, Database, MessagesTable } from '../storage/schema.js';
import type { Actor } from './actor.js';
import { assertBotMayPost, type BotScopeCheck, requireBotScope } from './bot-access.js';

export type ChatRow = Selectable<ChatsTable>;
export type MemberRow = Selectable<ChatMembersTable>;
export type MessageRow = Selectable<MessagesTable>;

export interface ChatAccess {
  chat: ChatRow;
  member: MemberRow;
  /** For bots: what their scope allows here (access/bot-access.ts). */
  botScope?: BotScopeCheck | null;
}

const forbidden = (message: string) => new AppError('forbidden', message);

/** Precompiled: every action on a chat starts here. */
const chatOfMember = precompile(2, (db, chatId: string, userId: string) =>
  db
    .selectFrom('chats')
    .innerJoin('chat_members', 'chat_members.chat_id', 'chats.id')
    .selectAll('chats')
    .select([
      'chat_members.role',
      'chat_members.joined_at',
      'chat_members.last_read_seq',
      'chat_members.muted',
      'chat_members.joined_seq',
      'chat_members.pin_order',
      'chat_members.archived_seq',
      'chat_members.user_id',
      'chat_members.chat_id',
    ])
    .where('chats.id', '=', chatId)
    .where('chat_members.user_id', '=', userId),
);

/** The chat, if the actor is a member; otherwise chat_not_found. */
export async function requireMember(db: Kysely<Database>, actor: Actor, chatId: string): Promise<ChatAccess> {
  const botScope = await requireBotScope(db, actor, chatId);
  const [row] = await chatOfMember.execute(db, chatId, actor.userId);
  if (!row) throw notFound('chat_not_found', 'Chat');
  const { role, joined_at, last_read_seq, muted, joined_seq, user_id, chat_id, pin_order, archived_seq, ...chat } = row;
  return { chat, member: { role, joined_at, last_read_seq, muted, joined_seq, user_id, chat_id, pin_order, archived_seq }, botScope };
}

/** Precompiled: the one read a history page needs — the membership, and where the chat's events stand. */
const eventSeqForMember = precompile(2, (db, chatId: string, userId: string) =>
  db
    .selectFrom('chats')
    .innerJoin('chat_members', 'chat_members.chat_id', 'chats.id')
    .select('chats.event_seq')
    .where('chats.id', '=', chatId)
    .where('chat_members.user_id', '=', userId),
);

/**
 * The same rule as `requireMember` for reading (a member; a bot only within its scope),
 * answering only the chat's event position (`chats.event_seq`): what a kept history page
 * is checked against (modules/messages/history-cache.ts).
 */
export async function requireReader(db: Kysely<Database>, actor: Actor, chatId: string): Promise<{ eventSeq: number }> {
  await requireBotScope(db, actor, chatId);
  const [row] = await eventSeqForMember.execute(db, chatId, actor.userId);
  if (!row) throw notFound('chat_not_found', 'Chat');
  return { eventSeq: Number(row.event_seq) };
}

export const isManager = (member: MemberRow) => member.role === 'owner' || member.role === 'admin';

export const canSeeMessage = (actor: Actor, message: MessageRow) =>
  message.private_to === null || message.sender_id === actor.userId || message.private_to === actor.userId;

type Audience = Pick<MessageRow, 'sender_id' | 'private_to'>;

/**
 * Whether everyone who sees `reply` may also see `original`, so the reply may quote it:
 * the original is public, or both are private between the same two people.
 */
export function canQuote(reply: Audience, original: Audience): boolean {
  if (original.private_to === null) return true;
  if (reply.private_to === null) return false;
  const pair = [original.sender_id, original.private_to];
  return pair.includes(reply.sender_id) && pair.includes(reply.private_to);
}

/** The message, if it is in a chat the actor belongs to and visible to them. */
export async function requireVisibleMessage(db: Kysely<Database>, actor: Actor, chatId: string, messageId: string) {
  const access = await requireMember(db, actor, chatId);
  const message = await db.selectFrom('messages').selectAll().where('id', '=', messageId).where('chat_id', '=', chatId).executeTakeFirst();
  if (!message || !canSeeMessage(actor, message)) throw notFound('message_not_found', 'Message');
  return { ...access, message };
}

export function assertCanEditChat({ chat, member }: ChatAccess) {
  if (chat.kind === 'direct') throw forbidden('A direct chat has no name or settings to edit');
  if (isManager(member)) return;
  if (chat.members_can_edit) return;
  throw forbidden('Only the owner and admins may edit this chat');
}

export function assertCanAddMembers({ chat, member }: ChatAccess) {
  if (chat.kind === 'direct') throw forbidden('Members cannot be added to a direct chat; start a group instead');
  if (isManager(member)) return;
  if (chat.members_can_add) return;
  throw forbidden('Only the owner and admins may add members to this chat');
}

export function assertCanRemoveMember({ chat, member }: ChatAccess, target: MemberRow) {
  if (chat.kind === 'direct') throw forbidden('Members cannot be removed from a direct chat');
  if (target.user_id === member.user_id) throw forbidden('Use leave to remove yourself');
  if (member.role === 'owner') return;
  if (member.role === 'admin' && target.role === 'member') return;
  throw forbidden('Only the owner, or an admin for plain members, may remove members');
}

export function assertOwner({ chat, member }: ChatAccess, action: string) {
  if (chat.kind === 'direct') throw forbidden(`A direct chat cannot ${action}`);
  if (member.role !== 'owner') throw forbidden(`Only the owner may ${action}`);
}

/** An archived room (admin console) keeps its history readable and takes no new messages. */
export function assertCanPost({ chat, botScope }: ChatAccess) {
  if (chat.archived_at != null) throw forbidden('This room is archived: it can be read but not written to');
  assertBotMayPost(botScope);
}

export function assertCanLeave({ chat }: ChatAccess) {
  if (chat.kind === 'direct') throw forbidden('A direct chat cannot be left');
}

export function assertCanEditMessage(actor: Actor, message: MessageRow) {
  if (message.kind !== 'text') throw forbidden('System messages cannot be edited');
  if (message.sender_id !== actor.userId) throw forbidden('Only the sender may edit a message');
  if (message.deleted_at !== null) throw forbidden('A deleted message cannot be edited');
}

export function assertCanDeleteMessage(actor: Actor, { chat, member }: ChatAccess, message: MessageRow) {
  if (message.deleted_at !== null) throw forbidden('The message is already deleted');
  if (message.sender_id === actor.userId) return;
  if (chat.kind !== 'direct' && isManager(member) && message.private_to === null) return;
  throw forbidden('Only the sender, or an admin of the group, may delete a message');
}
