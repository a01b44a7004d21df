/**
 * Uploads over tus (https://tus.io), with `@tus/server` 2 mounted in Fastify at
 * /api/v1/uploads. Chosen over a plain multipart POST because a 100 MB upload that breaks
 * off resumes from the last byte the server has (HEAD tells the offset, PATCH goes on),
 * and tus-js-client brings progress, retry and resume to the browser.
 *
 * Uploads in progress live where the attachments service says (`tusDatastore`): with S3,
 * as parts in the bucket with their offsets in the database, so several instances can each
 * take any request of any upload (storage-upload-store.ts); on disk, staged by
 * @tus/file-store under DATA_DIR/uploads. Either way bytes are streamed, never whole in
 * memory, and once complete they are hashed and streamed into the file storage in one pass.
 *
 * Every request is authenticated like any other route (Bearer token, or cookie + CSRF
 * header on writes) and may touch only the caller's own uploads; size and quota are
 * checked at creation, from Upload-Length, before a byte is accepted.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { UPLOADS_PATH } from '@parley/protocol';
import { EVENTS, Server as TusServer } from '@tus/server';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, notFound } from '../../errors.js';
import { requireActor } from '../../http/authenticate.js';
import { authedRoute } from '../../http/responses.js';
import { actorOf } from '../auth/auth.routes.js';
import type { AuthService } from '../auth/auth.service.js';
import type { AttachmentsService } from './attachments.service.js';
import { hasFfmpeg } from './media-tools.js';

/** Who is creating an upload: set by the route on the Node request before tus sees it. */
const ownerOf = new WeakMap<IncomingMessage, string>();
/** tus hands hooks a web Request wrapping the Node one (srvx). */
const nodeRequest = (req: Request): IncomingMessage | undefined =>
  (req as { runtime?: { node?: { req?: IncomingMessage } } }).runtime?.node?.req;
const UPLOAD_ID = /^[A-Za-z0-9_-]{16,32}$/;
const DECIMAL = /^\d{1,16}$/;

const badHeader = (field: string, message: string, rule: string) =>
  new AppError('validation_failed', message, { location: 'header', field, rule });

/**
 * The tus headers each request needs, checked before tus sees the request: what is not a
 * tus request gets the API's JSON error naming the header, not tus's plain-text answer.
 */
function assertTusRequest(request: FastifyRequest): void {
  const { headers } = request;
  if (headers['tus-resumable'] !== '1.0.0')
    throw badHeader('tus-resumable', 'This is a tus 1.0.0 upload endpoint: send Tus-Resumable: 1.0.0', 'const');
  if (request.method === 'POST' && !DECIMAL.test(String(headers['upload-length'] ?? '')))
    throw badHeader('upload-length', 'Upload-Length must give the file size in bytes', 'integer');
  if (request.method === 'PATCH') {
    if (
      String(headers['content-type'] ?? '')
        .split(';')[0]
        ?.trim() !== 'application/offset+octet-stream'
    )
      throw new AppError('unsupported_media_type', 'An upload PATCH must be application/offset+octet-stream');
    if (!DECIMAL.test(String(headers['upload-offset'] ?? '')))
      throw badHeader('upload-offset', 'Upload-Offset must give the byte offset of this chunk', 'integer');
  }
}

const errorBody = (error: AppError) =>
  JSON.stringify({ error: { code: error.code, message: error.message, ...(error.details && { details: error.details }) } });

export function uploadsRoutes(app: FastifyInstance, auth: AuthService, attachments: AttachmentsService) {
  fs.mkdirSync(attachments.stagingDir, { recursive: true });

  const tus = new TusServer({
    path: UPLOADS_PATH,
    datastore: attachments.tusDatastore,
    relativeLocation: true,
    maxSize: attachments.options.maxUploadBytes,
    // Same-origin only: no Access-Control-Allow-Origin for anyone.
    allowedOrigins: () => false,
    disableTerminationForFinishedUploads: true,
    namingFunction: () => randomBytes(16).toString('base64url'),
    async onUploadCreate(req, upload) {
      const node = nodeRequest(req);
      const ownerId = node && ownerOf.get(node);
      if (!ownerId) throw new AppError('unauthenticated', 'Sign in first');
      await attachments.createUpload({ id: upload.id, ownerId, size: upload.size, metadata: upload.metadata ?? {} });
      return {};
    },
    async onUploadFinish(_req, upload) {
      await attachments.completeUpload(upload.id);
      return {};
    },
    async onResponseError(_req, error) {
      if (error instanceof AppError) return { status_code: error.status, body: errorBody(error) };
      // tus's own refusals (413 past maxSize, 409 offset mismatch…) keep their status, with our codes where we have one.
      const status = 'status_code' in error ? error.status_code : 500;
      if (status === 413)
        return { status_code: 413, body: errorBody(new AppError('upload_too_large', 'The upload is larger than UPLOAD_MAX_BYTES')) };
      return undefined;
    },
  });
  // Said once at start, so an operator knows why videos have no poster (docs/operations.md).
  void hasFfmpeg().then((present) => {
    if (!present)
      app.log.warn('ffmpeg/ffprobe are not on the PATH: videos and audio get no poster frame or duration and play in a plain player');
  });
  tus.on(EVENTS.POST_TERMINATE, (_req, _res, id: string) => {
    attachments
      .cancelUpload(id)
      .catch((error: unknown) => app.log.warn({ err: error, uploadId: id }, 'could not remove a cancelled upload'));
  });

  async function handle(request: FastifyRequest<{ Params: { uploadId?: string } }>, reply: FastifyReply) {
    const actor = actorOf(request);
    assertTusRequest(request);
    const id = request.params.uploadId;
    if (id !== undefined) {
      if (!UPLOAD_ID.test(id)) throw notFound('file_not_found', 'Upload');
      const file = await attachments.ownUpload(actor.userId, id);
      if (file.state === 'ready') {
        // Finished: the staged copy is gone; answer what tus clients ask of a finished upload.
        if (request.method === 'HEAD') {
          return reply
            .status(200)
            .headers({ 'tus-resumable': '1.0.0', 'upload-offset': String(file.size), 'upload-length': String(file.size) })
            .send();
        }
        if (request.method === 'DELETE') {
          await attachments.cancelUpload(id, actor.userId);
          return reply.status(204).header('tus-resumable', '1.0.0').send();
        }
        throw new AppError('conflict', 'The upload is complete');
      }
    } else if (request.method === 'POST') {
      ownerOf.set(request.raw, actor.userId);
    }
    reply.hijack();
    reply.raw.setHeader('x-request-id', request.id);
    reply.raw.setHeader('x-content-type-options', 'nosniff');
    reply.raw.setHeader('cache-control', 'no-store');
    await tus.handle(request.raw, reply.raw);
  }

  app.register(async (scope) => {
    // The body is tus's to read, as a stream: Fastify must not buffer or parse it.
    scope.addContentTypeParser('application/offset+octet-stream', (_request, _payload, done) => done(null));
    const onRequest = requireActor(auth);
    const schema = { tags: ['uploads'], ...authedRoute, hide: false };
    scope.route({
      method: 'POST',
      url: UPLOADS_PATH,
      onRequest,
      schema: { ...schema, summary: 'tus: create an upload (Upload-Length, Upload-Metadata filename/purpose/durationMs/waveform)' },
      handler: handle,
    });
    scope.route({
      method: ['HEAD', 'PATCH', 'DELETE'],
      url: `${UPLOADS_PATH}/:uploadId`,
      onRequest,
      schema: { ...schema, summary: 'tus: the offset of an upload (HEAD), its next bytes (PATCH), or cancel it (DELETE)' },
      handler: handle,
    });
  });
}
