/**
 * The WebSocket commands of people and of organising chats (issue 13), merged into the
 * command table (realtime/commands.ts). They call the same service methods as the routes.
 */
import {
  ArchiveChatParams,
  ChatRef,
  type CommandName,
  ContactRequestParams,
  MessagePinParams,
  NotificationQuery,
  NotificationsRef,
  PersonRef,
  PinChatParams,
  PinOrderParams,
  RequestRef,
  SetPresenceParams,
  UpdateContactParams,
  UpdatePrivacyBody,
} from '@parley/protocol';
import { Type } from '@sinclair/typebox';
import { type Command, define } from '../../realtime/commands.js';
import type { Services } from '../../services.js';

export type PeopleCommandName = Extract<
  CommandName,
  | `contact.${string}`
  | `notification.${string}`
  | 'profile.get'
  | `privacy.${string}`
  | 'presence.set'
  | 'chat.organisation'
  | 'chat.pin'
  | 'chat.pinOrder'
  | 'chat.archive'
  | 'message.pins'
  | 'message.pin'
  | 'message.unpin'
>;

const Empty = Type.Object({}, { additionalProperties: false });

export function peopleCommands({
  contacts,
  notificationCentre,
  chatOrganisation,
  pinnedMessages,
}: Services): Record<PeopleCommandName, Command> {
  return {
    'contact.list': define(Empty, (actor) => contacts.list(actor)),
    'contact.request': define(ContactRequestParams, (actor, p) => contacts.request(actor, p)),
    'contact.accept': define(RequestRef, (actor, p) => contacts.accept(actor, p.requestId)),
    'contact.decline': define(RequestRef, (actor, p) => contacts.decline(actor, p.requestId)),
    'contact.cancel': define(RequestRef, (actor, p) => contacts.cancel(actor, p.requestId)),
    'contact.remove': define(PersonRef, (actor, p) => contacts.remove(actor, p.userId)),
    'contact.update': define(UpdateContactParams, (actor, p) => contacts.update(actor, p)),
    'contact.block': define(PersonRef, (actor, p) => contacts.setBlocked(actor, p.userId, true)),
    'contact.unblock': define(PersonRef, (actor, p) => contacts.setBlocked(actor, p.userId, false)),
    'profile.get': define(PersonRef, (actor, p) => contacts.profile(actor, p.userId)),
    'privacy.get': define(Empty, (actor) => contacts.getPrivacy(actor)),
    'privacy.update': define(UpdatePrivacyBody, (actor, p) => contacts.updatePrivacy(actor, p)),
    'presence.set': define(SetPresenceParams, (actor, p) => contacts.setPresence(actor, p)),
    'notification.list': define(NotificationQuery, (actor, p) => notificationCentre.list(actor, p)),
    'notification.read': define(NotificationsRef, (actor, p) => notificationCentre.markRead(actor, p)),
    'notification.clear': define(NotificationsRef, (actor, p) => notificationCentre.clear(actor, p)),
    'chat.organisation': define(Empty, (actor) => chatOrganisation.organisation(actor)),
    'chat.pin': define(PinChatParams, (actor, p) => chatOrganisation.pin(actor, p)),
    'chat.pinOrder': define(PinOrderParams, (actor, p) => chatOrganisation.reorder(actor, p)),
    'chat.archive': define(ArchiveChatParams, (actor, p) => chatOrganisation.archive(actor, p)),
    'message.pins': define(ChatRef, (actor, p) => pinnedMessages.list(actor, p.chatId)),
    'message.pin': define(MessagePinParams, (actor, p) => pinnedMessages.pin(actor, p)),
    'message.unpin': define(MessagePinParams, (actor, p) => pinnedMessages.unpin(actor, p)),
  };
}
