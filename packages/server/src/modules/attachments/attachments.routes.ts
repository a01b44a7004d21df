/** REST routes for fetching files and thumbnails, your own uploads, and the chat gallery. */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { ChatIdParams, FileParams, FileQuery, GalleryPage, GalleryQuery, PublicUser, SetAvatarBody, UploadedFile } from '@parley/protocol';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { requireActor } from '../../http/authenticate.js';
import { authedRoute, errors } from '../../http/responses.js';
import type { Services } from '../../services.js';
import { actorOf } from '../auth/auth.routes.js';
import type { ServedFile } from './attachments.service.js';

const ThumbnailPathParams = Type.Object({ fileId: FileParams.properties.fileId, size: Type.String({ pattern: '^[0-9]{2,4}$' }) });

const send = (reply: FastifyReply, served: ServedFile) => {
  // Files are addressed by unguessable ids and never change: a private cache may keep them,
  // but a shared one may not (access is per person).
  reply.status(served.status).headers(served.headers);
  return reply.send(served.body);
};

export function attachmentsRoutes(app: FastifyInstance, { auth, attachments, avatars }: Services) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const onRequest = requireActor(auth);
  const doc = (summary: string) => ({ tags: ['attachments'], summary, ...authedRoute });
  const binary = { 200: Type.Unknown({ description: 'The bytes' }), 206: Type.Unknown({ description: 'The requested range' }), ...errors };

  r.get(
    '/api/v1/files/:fileId',
    {
      onRequest,
      schema: {
        ...doc('A file: inline only for allowlisted images, video and audio; Range requests answered with 206'),
        params: FileParams,
        querystring: FileQuery,
        response: binary,
      },
    },
    async (req, reply) =>
      send(
        reply,
        await attachments.open(actorOf(req), req.params.fileId, { range: req.headers.range, download: req.query.download === '1' }),
      ),
  );
  r.get(
    '/api/v1/files/:fileId/thumbnails/:size',
    {
      onRequest,
      schema: { ...doc('A WebP thumbnail of an image, a video poster or an avatar'), params: ThumbnailPathParams, response: binary },
    },
    async (req, reply) => send(reply, await attachments.thumbnail(actorOf(req), req.params.fileId, Number(req.params.size))),
  );
  r.get(
    '/api/v1/files/:fileId/info',
    {
      onRequest,
      schema: {
        ...doc('One of your uploads: its type, size, hash and dimensions as found'),
        params: FileParams,
        response: { 200: UploadedFile, ...errors },
      },
    },
    (req) => attachments.uploadedFile(actorOf(req), req.params.fileId),
  );
  r.put(
    '/api/v1/users/me/avatar',
    {
      onRequest,
      schema: {
        ...doc('Set (or clear, with null) your profile photo: an upload of yours with purpose avatar'),
        body: SetAvatarBody,
        response: { 200: PublicUser, ...errors },
      },
    },
    (req) => avatars.setMyAvatar(actorOf(req), req.body),
  );
  r.put(
    '/api/v1/chats/:id/avatar',
    {
      onRequest,
      schema: {
        ...doc('Set (or clear) a group’s or room’s photo; who may edit the chat may'),
        params: ChatIdParams,
        body: SetAvatarBody,
        response: { 200: Type.Object({ id: Type.String(), avatarId: Type.Union([Type.String(), Type.Null()]) }), ...errors },
      },
    },
    (req) => avatars.setChatAvatar(actorOf(req), req.params.id, req.body),
  );
  r.get(
    '/api/v1/chats/:id/gallery',
    {
      onRequest,
      schema: {
        ...doc('The chat gallery: media, files, voice or links, newest first'),
        params: ChatIdParams,
        querystring: GalleryQuery,
        response: { 200: GalleryPage, ...errors },
      },
    },
    (req) => attachments.gallery(actorOf(req), req.params.id, req.query),
  );
}
