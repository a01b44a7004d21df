/** HTTP routes of the admin console, all under /api/v1/admin: parse → service → present. */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import {
  AdminListQuery,
  AdminRoom,
  AdminRoomMemberParams,
  AdminRoomMessageParams,
  AdminRoomPage,
  AdminRoomParams,
  AdminUser,
  AdminUserPage,
  AdminUserParams,
  AuditPage,
  AuditQuery,
  CreateInviteBody,
  Invite,
  InviteList,
  InviteParams,
  ServerSettings,
  ServerStats,
  SetServerRoleBody,
  SuspendBody,
  UpdateAdminRoomBody,
  UpdateServerSettingsBody,
} from '@parley/protocol';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { requireActor } from '../../http/authenticate.js';
import { authedRoute, errors, NoContent } from '../../http/responses.js';
import { actorOf } from '../auth/auth.routes.js';
import type { AuthService } from '../auth/auth.service.js';
import type { AdminService, RequestOrigin } from './admin.service.js';

const originOf = (request: FastifyRequest): RequestOrigin => ({ ip: request.ip });

export function adminRoutes(app: FastifyInstance, auth: AuthService, admin: AdminService) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const base = { onRequest: requireActor(auth) };
  const doc = (summary: string) => ({ tags: ['admin'], summary, ...authedRoute });
  const ok = { 204: NoContent, ...errors };

  r.get(
    '/api/v1/admin/users',
    {
      ...base,
      schema: {
        ...doc('People on the server (admins, moderators)'),
        querystring: AdminListQuery,
        response: { 200: AdminUserPage, ...errors },
      },
    },
    (req) => admin.listUsers(actorOf(req), req.query),
  );
  r.get(
    '/api/v1/admin/users/:userId',
    {
      ...base,
      schema: { ...doc('One person, as the console shows them'), params: AdminUserParams, response: { 200: AdminUser, ...errors } },
    },
    (req) => admin.getUser(actorOf(req), req.params.userId),
  );
  r.post(
    '/api/v1/admin/users/:userId/suspend',
    {
      ...base,
      schema: {
        ...doc('Suspend: sessions end now, sign-in refused'),
        params: AdminUserParams,
        body: SuspendBody,
        response: { 200: AdminUser, ...errors },
      },
    },
    (req) => admin.suspend(actorOf(req), originOf(req), req.params.userId, req.body.reason),
  );
  r.post(
    '/api/v1/admin/users/:userId/unsuspend',
    { ...base, schema: { ...doc('Lift a suspension'), params: AdminUserParams, response: { 200: AdminUser, ...errors } } },
    (req) => admin.unsuspend(actorOf(req), originOf(req), req.params.userId),
  );
  r.post(
    '/api/v1/admin/users/:userId/sessions/reset',
    {
      ...base,
      schema: { ...doc('End every session of a person (admins)'), params: AdminUserParams, response: { 200: AdminUser, ...errors } },
    },
    (req) => admin.resetSessions(actorOf(req), originOf(req), req.params.userId),
  );
  r.put(
    '/api/v1/admin/users/:userId/role',
    {
      ...base,
      schema: {
        ...doc('Change a server role (admins)'),
        params: AdminUserParams,
        body: SetServerRoleBody,
        response: { 200: AdminUser, ...errors },
      },
    },
    (req) => admin.setRole(actorOf(req), originOf(req), req.params.userId, req.body.role),
  );
  r.delete(
    '/api/v1/admin/users/:userId',
    { ...base, schema: { ...doc('Delete an account (admins)'), params: AdminUserParams, response: ok } },
    async (req, reply) => {
      await admin.deleteUser(actorOf(req), originOf(req), req.params.userId);
      return reply.status(204).send(null);
    },
  );

  r.get(
    '/api/v1/admin/rooms',
    {
      ...base,
      schema: { ...doc('Groups and rooms on the server'), querystring: AdminListQuery, response: { 200: AdminRoomPage, ...errors } },
    },
    (req) => admin.listRooms(actorOf(req), req.query),
  );
  r.patch(
    '/api/v1/admin/rooms/:chatId',
    {
      ...base,
      schema: {
        ...doc('Archive, change owner or retention (admins)'),
        params: AdminRoomParams,
        body: UpdateAdminRoomBody,
        response: { 200: AdminRoom, ...errors },
      },
    },
    (req) => admin.updateRoom(actorOf(req), originOf(req), req.params.chatId, req.body),
  );
  r.delete(
    '/api/v1/admin/rooms/:chatId',
    { ...base, schema: { ...doc('Delete a group or room (admins)'), params: AdminRoomParams, response: ok } },
    async (req, reply) => {
      await admin.deleteRoom(actorOf(req), originOf(req), req.params.chatId);
      return reply.status(204).send(null);
    },
  );
  r.delete(
    '/api/v1/admin/rooms/:chatId/messages/:messageId',
    { ...base, schema: { ...doc('Remove a message (moderators: public rooms)'), params: AdminRoomMessageParams, response: ok } },
    async (req, reply) => {
      await admin.removeMessage(actorOf(req), originOf(req), req.params.chatId, req.params.messageId);
      return reply.status(204).send(null);
    },
  );
  r.delete(
    '/api/v1/admin/rooms/:chatId/members/:userId',
    { ...base, schema: { ...doc('Remove a member (moderators: public rooms)'), params: AdminRoomMemberParams, response: ok } },
    async (req, reply) => {
      await admin.removeMember(actorOf(req), originOf(req), req.params.chatId, req.params.userId);
      return reply.status(204).send(null);
    },
  );

  r.get(
    '/api/v1/admin/settings',
    { ...base, schema: { ...doc('Server settings (admins)'), response: { 200: ServerSettings, ...errors } } },
    (req) => admin.getSettings(actorOf(req)),
  );
  r.patch(
    '/api/v1/admin/settings',
    {
      ...base,
      schema: { ...doc('Change server settings (admins)'), body: UpdateServerSettingsBody, response: { 200: ServerSettings, ...errors } },
    },
    (req) => admin.updateSettings(actorOf(req), originOf(req), req.body),
  );
  r.get(
    '/api/v1/admin/invites',
    { ...base, schema: { ...doc('Invite links (admins)'), response: { 200: InviteList, ...errors } } },
    (req) => admin.listInvites(actorOf(req)),
  );
  r.post(
    '/api/v1/admin/invites',
    { ...base, schema: { ...doc('Create an invite link (admins)'), body: CreateInviteBody, response: { 201: Invite, ...errors } } },
    async (req, reply) => reply.status(201).send(await admin.createInvite(actorOf(req), originOf(req), req.body)),
  );
  r.delete(
    '/api/v1/admin/invites/:inviteId',
    { ...base, schema: { ...doc('Revoke an invite link (admins)'), params: InviteParams, response: ok } },
    async (req, reply) => {
      await admin.revokeInvite(actorOf(req), originOf(req), req.params.inviteId);
      return reply.status(204).send(null);
    },
  );
  r.get(
    '/api/v1/admin/stats',
    { ...base, schema: { ...doc('People, activity, messages per day, storage (admins)'), response: { 200: ServerStats, ...errors } } },
    (req) => admin.stats(actorOf(req)),
  );
  r.get(
    '/api/v1/admin/audit',
    {
      ...base,
      schema: { ...doc('The audit log, newest first (admins)'), querystring: AuditQuery, response: { 200: AuditPage, ...errors } },
    },
    (req) => admin.audit(actorOf(req), req.query),
  );
}
