/** REST routes for chats, members and the room directory (for bots, scripts and the web app). */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import {
  AddMembersBody,
  Chat,
  ChatIdParams,
  ChatList,
  ChatMemberParams,
  CreateChatParams,
  MemberList,
  MuteBody,
  OpenDirectParams,
  RoomDirectoryQuery,
  RoomPage,
  SetRoleBody,
  TransferBody,
  UpdateChatBody,
} from '@parley/protocol';
import type { FastifyInstance } from 'fastify';
import { requireActor } from '../../http/authenticate.js';
import { authedRoute, errors, NoContent } from '../../http/responses.js';
import type { Services } from '../../services.js';
import { actorOf } from '../auth/auth.routes.js';

export function chatsRoutes(app: FastifyInstance, { auth, chats }: Services) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const onRequest = requireActor(auth);
  const tags = ['chats'];
  const base = { onRequest };
  const doc = (summary: string) => ({ tags, summary, ...authedRoute });

  r.get(
    '/api/v1/chats',
    {
      ...base,
      schema: { ...doc('Your chats, newest activity first, with unread and mention counts'), response: { 200: ChatList, ...errors } },
    },
    (req) => chats.listChats(actorOf(req)),
  );
  r.post(
    '/api/v1/chats',
    { ...base, schema: { ...doc('Create a group or a public room'), body: CreateChatParams, response: { 201: Chat, ...errors } } },
    async (req, reply) => reply.status(201).send(await chats.createChat(actorOf(req), req.body)),
  );
  r.post(
    '/api/v1/chats/direct',
    {
      ...base,
      schema: { ...doc('Open (or reuse) the direct chat with a user'), body: OpenDirectParams, response: { 200: Chat, ...errors } },
    },
    (req) => chats.openDirect(actorOf(req), req.body.userId),
  );
  r.get('/api/v1/chats/:id', { ...base, schema: { ...doc('One chat'), params: ChatIdParams, response: { 200: Chat, ...errors } } }, (req) =>
    chats.getChat(actorOf(req), req.params.id),
  );
  r.patch(
    '/api/v1/chats/:id',
    {
      ...base,
      schema: { ...doc('Rename or edit a group or room'), params: ChatIdParams, body: UpdateChatBody, response: { 200: Chat, ...errors } },
    },
    (req) => chats.updateChat(actorOf(req), { chatId: req.params.id, ...req.body }),
  );
  r.delete(
    '/api/v1/chats/:id',
    { ...base, schema: { ...doc('Delete a group or room (owner only)'), params: ChatIdParams, response: { 204: NoContent, ...errors } } },
    async (req, reply) => {
      await chats.deleteChat(actorOf(req), req.params.id);
      return reply.status(204).send(null);
    },
  );
  r.post(
    '/api/v1/chats/:id/join',
    { ...base, schema: { ...doc('Join a public room'), params: ChatIdParams, response: { 200: Chat, ...errors } } },
    (req) => chats.joinRoom(actorOf(req), req.params.id),
  );
  r.post(
    '/api/v1/chats/:id/leave',
    { ...base, schema: { ...doc('Leave a group or room'), params: ChatIdParams, response: { 204: NoContent, ...errors } } },
    async (req, reply) => {
      await chats.leaveChat(actorOf(req), req.params.id);
      return reply.status(204).send(null);
    },
  );
  r.post(
    '/api/v1/chats/:id/transfer',
    {
      ...base,
      schema: {
        ...doc('Hand ownership to another member'),
        params: ChatIdParams,
        body: TransferBody,
        response: { 204: NoContent, ...errors },
      },
    },
    async (req, reply) => {
      await chats.transferOwnership(actorOf(req), { chatId: req.params.id, userId: req.body.userId });
      return reply.status(204).send(null);
    },
  );
  r.put(
    '/api/v1/chats/:id/mute',
    {
      ...base,
      schema: { ...doc('Mute or unmute a chat for yourself'), params: ChatIdParams, body: MuteBody, response: { 200: Chat, ...errors } },
    },
    (req) => chats.setMuted(actorOf(req), { chatId: req.params.id, muted: req.body.muted }),
  );
  r.get(
    '/api/v1/chats/:id/members',
    { ...base, schema: { ...doc('Members with roles and presence'), params: ChatIdParams, response: { 200: MemberList, ...errors } } },
    (req) => chats.listMembers(actorOf(req), req.params.id),
  );
  r.post(
    '/api/v1/chats/:id/members',
    { ...base, schema: { ...doc('Add members'), params: ChatIdParams, body: AddMembersBody, response: { 200: MemberList, ...errors } } },
    (req) => chats.addMembers(actorOf(req), { chatId: req.params.id, userIds: req.body.userIds }),
  );
  r.delete(
    '/api/v1/chats/:id/members/:userId',
    { ...base, schema: { ...doc('Remove a member'), params: ChatMemberParams, response: { 204: NoContent, ...errors } } },
    async (req, reply) => {
      await chats.removeMember(actorOf(req), { chatId: req.params.id, userId: req.params.userId });
      return reply.status(204).send(null);
    },
  );
  r.patch(
    '/api/v1/chats/:id/members/:userId',
    {
      ...base,
      schema: {
        ...doc("Change a member's role (owner only)"),
        params: ChatMemberParams,
        body: SetRoleBody,
        response: { 204: NoContent, ...errors },
      },
    },
    async (req, reply) => {
      await chats.setRole(actorOf(req), { chatId: req.params.id, userId: req.params.userId, role: req.body.role });
      return reply.status(204).send(null);
    },
  );
  r.get(
    '/api/v1/rooms',
    {
      ...base,
      schema: {
        tags: ['rooms'],
        summary: 'The public room directory',
        ...authedRoute,
        querystring: RoomDirectoryQuery,
        response: { 200: RoomPage, ...errors },
      },
    },
    (req) => chats.rooms(actorOf(req), req.query),
  );
}
