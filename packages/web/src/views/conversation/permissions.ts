/**
 * What the signed-in user may do, mirroring the server's access rules
 * (server/src/access/chat-access.ts) so the app offers only actions that will succeed.
 * The server still decides; these only hide buttons. Pure, so they are unit-tested.
 */
import type { Chat, ChatMember, Message } from '@parley/protocol';

type ChatView = Pick<Chat, 'kind' | 'role' | 'membersCanEdit' | 'membersCanAdd'>;

const isManager = (chat: ChatView) => chat.role === 'owner' || chat.role === 'admin';
const isLive = (message: Message) => message.kind === 'text' && message.deletedAt === null;

/** A poll's question is not edited as text (its options and votes hang on it). */
export const canEditMessage = (message: Message, meId: string) => isLive(message) && message.senderId === meId && !message.poll;

export function canDeleteMessage(message: Message, chat: ChatView, meId: string): boolean {
  if (!isLive(message)) return false;
  if (message.senderId === meId) return true;
  return chat.kind !== 'direct' && isManager(chat) && message.privateTo === null;
}

/** Only in groups and rooms, to someone else's message. */
export const canReplyPrivately = (message: Message, chat: ChatView, meId: string) =>
  isLive(message) && chat.kind !== 'direct' && message.senderId !== null && message.senderId !== meId;

/** Who a reply to `message` goes to privately: a private message's reply stays between the same two people. */
export function privatePeerOf(message: Message, meId: string): string | null {
  if (message.privateTo === null) return null;
  return message.senderId === meId ? message.privateTo : message.senderId;
}

export const canEditChat = (chat: ChatView) => chat.kind !== 'direct' && (isManager(chat) || chat.membersCanEdit);
export const canAddMembers = (chat: ChatView) => chat.kind !== 'direct' && (isManager(chat) || chat.membersCanAdd);
export const canChangeSettings = (chat: ChatView) => chat.kind !== 'direct' && isManager(chat);

export function canRemoveMember(chat: ChatView, target: ChatMember, meId: string): boolean {
  if (chat.kind === 'direct' || target.user.id === meId) return false;
  if (chat.role === 'owner') return true;
  return chat.role === 'admin' && target.role === 'member';
}

export const canSetRole = (chat: ChatView, target: ChatMember) =>
  chat.kind !== 'direct' && chat.role === 'owner' && target.role !== 'owner';
export const canDeleteChat = (chat: ChatView) => chat.kind !== 'direct' && chat.role === 'owner';
/** The owner hands the chat to another (live) member; they stay on as an admin. */
export const canTransferOwnership = (chat: ChatView, target: ChatMember, meId: string) =>
  chat.kind !== 'direct' && chat.role === 'owner' && target.user.id !== meId && !target.user.deleted;
export const canLeave = (chat: ChatView) => chat.kind !== 'direct';
