/** HTTP routes of data exports: ask for one, list yours, download by link. */
import fs from 'node:fs';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { DataExport, DataExportList, ExportTokenParams } from '@parley/protocol';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { requireActor } from '../../http/authenticate.js';
import { authedRoute, errors } from '../../http/responses.js';
import { actorOf } from '../auth/auth.routes.js';
import type { AuthService } from '../auth/auth.service.js';
import type { ExportService } from './export.service.js';

export function exportRoutes(app: FastifyInstance, auth: AuthService, exports: ExportService) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const base = { onRequest: requireActor(auth) };
  const doc = (summary: string) => ({ tags: ['export'], summary, ...authedRoute });

  r.post(
    '/api/v1/users/me/exports',
    {
      ...base,
      schema: { ...doc('Ask for an export of your data; the answer has the download link'), response: { 202: DataExport, ...errors } },
    },
    async (req, reply) => reply.status(202).send(await exports.request(actorOf(req))),
  );
  r.get(
    '/api/v1/users/me/exports',
    { ...base, schema: { ...doc('Your exports and whether they are ready'), response: { 200: DataExportList, ...errors } } },
    (req) => exports.list(actorOf(req)),
  );
  // The token in the link is the credential (random, stored hashed, expiring): no session needed.
  r.get(
    '/api/v1/exports/:token',
    {
      schema: {
        tags: ['export'],
        summary: 'Download an export (zip)',
        params: ExportTokenParams,
        response: { 200: Type.Unknown({ description: 'The zip' }), ...errors },
      },
    },
    async (req, reply) => {
      const archive = await exports.download(req.params.token);
      const day = new Date(archive.createdAt).toISOString().slice(0, 10);
      return reply
        .header('content-type', 'application/zip')
        .header('content-length', String(archive.size))
        .header('content-disposition', `attachment; filename="parley-export-${day}.zip"`)
        .send(fs.createReadStream(archive.path));
    },
  );
}
