/**
 * Export of my data through the real server on every dialect: the request answers with a
 * link that works once the job has built the zip, without a session and for nobody's data
 * but mine; its JSON validates against the documented schemas (protocol/src/export.ts) and
 * holds my profile, chats, messages (edited and deleted ones too), reactions and the file I
 * uploaded, byte for byte.
 */
import { randomBytes } from 'node:crypto';
import { ExportChats, ExportManifest, ExportMessages, ExportProfile, ExportReactions } from '@parley/protocol';
import type { TSchema } from '@sinclair/typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import yauzl from 'yauzl';
import { bodyAjv } from '../../http/validation.js';
import { DIALECTS } from '../../test/dialects.js';
import { expectApiError } from '../../test/expect-error.js';
import { signUp, startTestServer, type TestServer } from '../../test/test-server.js';
import { uploadFile } from '../../test/tus-upload.js';

let n = 0;
const cid = () => `ex${Date.now().toString(36)}${(n++).toString(36)}`;

/** Every entry of a zip, by name. */
function unzip(buffer: Buffer): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(buffer, { lazyEntries: true }, (error, zip) => {
      if (error || !zip) return reject(error);
      const entries = new Map<string, Buffer>();
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (streamError, stream) => {
          if (streamError || !stream) return reject(streamError);
          const chunks: Buffer[] = [];
          stream.on('data', (chunk: Buffer) => chunks.push(chunk));
          stream.on('end', () => {
            entries.set(entry.fileName, Buffer.concat(chunks));
            zip.readEntry();
          });
        });
      });
      zip.on('end', () => resolve(entries));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

function expectValid(schema: TSchema, value: unknown, name: string) {
  const validate = bodyAjv.compile(schema);
  expect(validate(value) ? [] : validate.errors, name).toEqual([]);
}

for (const dialect of DIALECTS) {
  describe(`export of my data on ${dialect}`, () => {
    let ts: TestServer;
    beforeAll(async () => {
      ts = await startTestServer(dialect, { JOBS_POLL_MS: '100' });
    });
    afterAll(async () => {
      await ts?.close();
    });

    it('builds a zip of my profile, chats, messages, reactions and files, valid against the schemas, behind an expiring link', {
      timeout: 60_000,
    }, async () => {
      const me = await signUp(ts, 'exporter');
      const other = await signUp(ts, 'other');
      const group = await me.client.chats.create({ kind: 'group', name: 'Exported group', memberIds: [other.user.id] });
      const direct = await me.client.chats.openDirect(other.user.id);
      const bytes = randomBytes(5000);
      const fileId = await uploadFile({ baseUrl: ts.url, token: me.token }, bytes, { filename: 'notes.bin' });
      const withFile = await me.client.messages.send(group.id, { clientId: cid(), text: 'with a file', attachments: [fileId] });
      const edited = await me.client.messages.send(direct.id, { clientId: cid(), text: 'first draft' });
      await me.client.messages.edit(direct.id, edited.id, 'final words');
      const gone = await me.client.messages.send(direct.id, { clientId: cid(), text: 'oops' });
      await me.client.messages.delete(direct.id, gone.id);
      const theirs = await other.client.messages.send(group.id, { clientId: cid(), text: 'their message' });
      await me.client.messages.react(group.id, theirs.id, '🎉');

      const requested = await me.client.http.request<{ id: string; status: string; downloadUrl: string }>(
        'POST',
        '/api/v1/users/me/exports',
      );
      expect(requested.status).toBe('pending');
      expect(requested.downloadUrl).toMatch(/^\/api\/v1\/exports\/[A-Za-z0-9_-]{40,}$/);

      // The link needs no session; it answers 409 until the job has built the archive.
      let response = await fetch(`${ts.url}${requested.downloadUrl}`);
      for (let i = 0; i < 200 && response.status === 409; i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        response = await fetch(`${ts.url}${requested.downloadUrl}`);
      }
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/zip');
      expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="parley-export-\d{4}-\d{2}-\d{2}\.zip"$/);
      const entries = await unzip(Buffer.from(await response.arrayBuffer()));
      const read = (name: string) => JSON.parse(entries.get(name)?.toString('utf8') ?? 'null') as unknown;

      const [profile, chats, messages, reactions, manifest] = ['profile', 'chats', 'messages', 'reactions', 'manifest'].map((name) =>
        read(`${name}.json`),
      );
      expectValid(ExportProfile, profile, 'profile.json');
      expectValid(ExportChats, chats, 'chats.json');
      expectValid(ExportMessages, messages, 'messages.json');
      expectValid(ExportReactions, reactions, 'reactions.json');
      expectValid(ExportManifest, manifest, 'manifest.json');

      expect(profile).toMatchObject({ id: me.user.id, username: me.user.username, email: me.user.email });
      expect((chats as Array<{ id: string }>).map((c) => c.id).sort()).toEqual([group.id, direct.id].sort());
      const mine = messages as Array<{ id: string; text: string; deleted: boolean; editedAt: string | null; attachments: string[] }>;
      expect(mine.map((m) => m.id).sort()).toEqual([withFile.id, edited.id, gone.id].sort());
      expect(mine.find((m) => m.id === edited.id)).toMatchObject({ text: 'final words', deleted: false, editedAt: expect.any(String) });
      expect(mine.find((m) => m.id === gone.id)).toMatchObject({ text: '', deleted: true });
      expect(mine.find((m) => m.id === withFile.id)?.attachments).toEqual([fileId]);
      expect(mine.some((m) => m.text === 'their message')).toBe(false);
      expect(reactions).toEqual([expect.objectContaining({ messageId: theirs.id, chatId: group.id, emoji: '🎉' })]);
      const listed = (manifest as { files: Array<{ id: string; path: string; size: number }> }).files;
      expect(listed).toEqual([expect.objectContaining({ id: fileId, name: 'notes.bin', size: 5000 })]);
      expect(entries.get(listed[0]?.path ?? '')?.equals(bytes)).toBe(true);

      const exports = await me.client.http.request<{
        items: Array<{ id: string; status: string; downloadUrl: string | null; expiresAt: string }>;
      }>('GET', '/api/v1/users/me/exports');
      expect(exports.items[0]).toMatchObject({ id: requested.id, status: 'ready', downloadUrl: null });
      expect(Date.parse(exports.items[0]?.expiresAt ?? '') - Date.now()).toBeGreaterThan(71 * 3_600_000);
      // Someone else's export list is their own; a guessed link is nothing.
      expect((await other.client.http.request<{ items: unknown[] }>('GET', '/api/v1/users/me/exports')).items).toEqual([]);
      expect((await fetch(`${ts.url}/api/v1/exports/${'x'.repeat(43)}`)).status).toBe(404);

      // Once the link has expired it answers like a missing one.
      await ts.server.storage.db
        .updateTable('data_exports')
        .set({ expires_at: Date.now() - 1 })
        .where('id', '=', requested.id)
        .execute();
      expect((await fetch(`${ts.url}${requested.downloadUrl}`)).status).toBe(404);
      await expectApiError(ts.client().http.request('POST', '/api/v1/users/me/exports'), 'unauthenticated', 401);
    });
  });
}
