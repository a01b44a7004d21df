/**
 * The WebSocket command table: each command names its parameter schema and the service
 * call it makes. REST routes call the very same service methods, so both transports
 * share one implementation of every rule.
 */
import {
  AddMembersParams,
  ChatAvatarParams,
  ChatRef,
  type CommandName,
  CreateChatParams,
  EditMessageParams,
  ForwardParams,
  GalleryListParams,
  HistoryQuery,
  MarkDeliveredParams,
  MarkReadParams,
  MemberRef,
  MessageRef,
  MuteParams,
  OpenDirectParams,
  ReactionParams,
  RoomDirectoryQuery,
  SearchQuery,
  SendMessageParams,
  SetRoleParams,
  UpdateChatParams,
} from '@parley/protocol';
import { type Static, type TSchema, Type } from '@sinclair/typebox';
import type { ValidateFunction } from 'ajv';
import type { Actor } from '../access/actor.js';
import { bodyAjv } from '../http/validation.js';
import { peopleCommands } from '../modules/contacts/people.commands.js';
import { customEmojiCommands } from '../modules/custom-emoji/custom-emoji.commands.js';
import { draftsCommands } from '../modules/drafts/drafts.commands.js';
import { linkPreviewsCommands } from '../modules/link-previews/link-previews.commands.js';
import { pollsCommands } from '../modules/polls/polls.commands.js';
import { scheduledCommands } from '../modules/scheduled/scheduled.commands.js';
import { threadsCommands } from '../modules/threads/threads.commands.js';
import type { Services } from '../services.js';
import type { CommitTurn } from './event-log.js';

export interface Command {
  validate: ValidateFunction;
  /** `order` is given to commands the socket pipelines (`message.send` on SQLite). */
  run(actor: Actor, params: unknown, order?: CommitTurn): Promise<unknown>;
}

export const define = <S extends TSchema>(
  schema: S,
  run: (actor: Actor, params: Static<S>, order?: CommitTurn) => Promise<unknown>,
): Command => ({
  validate: bodyAjv.compile(schema),
  run: (actor, params, order) => run(actor, params as Static<S>, order),
});

const Empty = Type.Object({}, { additionalProperties: false });
const HistoryParams = Type.Object({ chatId: ChatRef.properties.chatId, ...HistoryQuery.properties }, { additionalProperties: false });

export function createCommands(services: Services): Record<Exclude<CommandName, 'hello' | 'ping'>, Command> {
  const { chats, messages, search, delivery, attachments, avatars } = services;
  /** Commands that change state but have nothing to return answer `{ok: true}`. */
  const done = (work: Promise<void>) => work.then(() => ({ ok: true }));
  return {
    'chat.list': define(Empty, (actor) => chats.listChats(actor)),
    'chat.get': define(ChatRef, (actor, p) => chats.getChat(actor, p.chatId)),
    'chat.openDirect': define(OpenDirectParams, (actor, p) => chats.openDirect(actor, p.userId)),
    'chat.create': define(CreateChatParams, (actor, p) => chats.createChat(actor, p)),
    'chat.update': define(UpdateChatParams, (actor, p) => chats.updateChat(actor, p)),
    'chat.delete': define(ChatRef, (actor, p) => done(chats.deleteChat(actor, p.chatId))),
    'chat.join': define(ChatRef, (actor, p) => chats.joinRoom(actor, p.chatId)),
    'chat.leave': define(ChatRef, (actor, p) => done(chats.leaveChat(actor, p.chatId))),
    'chat.transferOwnership': define(MemberRef, (actor, p) => done(chats.transferOwnership(actor, p))),
    'chat.mute': define(MuteParams, (actor, p) => chats.setMuted(actor, p)),
    'chat.rooms': define(RoomDirectoryQuery, (actor, p) => chats.rooms(actor, p)),
    'member.list': define(ChatRef, (actor, p) => chats.listMembers(actor, p.chatId)),
    'member.add': define(AddMembersParams, (actor, p) => chats.addMembers(actor, p)),
    'member.remove': define(MemberRef, (actor, p) => done(chats.removeMember(actor, p))),
    'member.setRole': define(SetRoleParams, (actor, p) => done(chats.setRole(actor, p))),
    'message.history': define(HistoryParams, (actor, { chatId, ...query }) => messages.history(actor, chatId, query)),
    'message.send': define(SendMessageParams, (actor, p, order) => messages.send(actor, p, order)),
    'message.edit': define(EditMessageParams, (actor, p) => messages.edit(actor, p)),
    'message.delete': define(MessageRef, (actor, p) => done(messages.delete(actor, p))),
    'message.forward': define(ForwardParams, async (actor, p) => ({ items: await messages.forward(actor, p) })),
    'message.seenBy': define(MessageRef, (actor, p) => messages.seenBy(actor, p)),
    'message.search': define(SearchQuery, (actor, p) => search.messages(actor, p)),
    'gallery.list': define(GalleryListParams, (actor, { chatId, ...query }) => attachments.gallery(actor, chatId, query)),
    'chat.setAvatar': define(ChatAvatarParams, (actor, p) => avatars.setChatAvatar(actor, p.chatId, { fileId: p.fileId })),
    'reaction.add': define(ReactionParams, (actor, p) => messages.addReaction(actor, p)),
    'reaction.remove': define(ReactionParams, (actor, p) => messages.removeReaction(actor, p)),
    'read.mark': define(MarkReadParams, (actor, p) => messages.markRead(actor, p)),
    'delivered.mark': define(MarkDeliveredParams, (actor, p) => delivery.markDelivered(actor, p)),
    'typing.start': define(ChatRef, (actor, p) => done(messages.typing(actor, p.chatId))),
    ...peopleCommands(services),
    ...draftsCommands(services),
    ...pollsCommands(services),
    ...scheduledCommands(services),
    ...linkPreviewsCommands(services),
    ...customEmojiCommands(services),
    ...threadsCommands(services),
  };
}
