/**
 * Server moderation in a conversation (issue 15, A8): what a server moderator or admin may
 * do in a chat beyond its own roles, mirroring access/server-access.ts — moderators act in
 * public rooms, admins in groups too, nobody in direct chats. The server still decides;
 * these only decide which actions the app offers. Pure, so they are unit-tested.
 */
import type { Chat, ChatMember, Message, ServerRole } from '@parley/protocol';

type ChatView = Pick<Chat, 'kind'>;

export function mayModerateChat(chat: ChatView, serverRole: ServerRole): boolean {
  if (chat.kind === 'direct') return false;
  if (serverRole === 'admin') return true;
  return serverRole === 'moderator' && chat.kind === 'room';
}

/** Someone else's live message (the chat's own rules already cover our own). */
export const mayRemoveMessageAsModerator = (message: Message, chat: ChatView, serverRole: ServerRole, meId: string) =>
  mayModerateChat(chat, serverRole) && message.kind === 'text' && message.deletedAt === null && message.senderId !== meId;

/** Never ourselves, never the owner (the server asks for another owner first). */
export const mayRemoveMemberAsModerator = (chat: ChatView, target: ChatMember, serverRole: ServerRole, meId: string) =>
  mayModerateChat(chat, serverRole) && target.user.id !== meId && target.role !== 'owner';
