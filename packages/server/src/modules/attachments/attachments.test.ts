import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../test/dialects.js';
import { expectApiError } from '../../test/expect-error.js';
import { connectDevice } from '../../test/realtime-client.js';
import { STORAGE_BACKENDS, startTestS3, type TestS3 } from '../../test/s3-server.js';
import { signUp, startTestServer, type TestServer } from '../../test/test-server.js';
import { createUpload, patchUpload, uploadFile, uploadIdOf } from '../../test/tus-upload.js';

let counter = 0;
const cid = () => `a${Date.now().toString(36)}${(counter++).toString(36)}`;

const MAX = 2 * 1024 * 1024;
const QUOTA = 5 * 1024 * 1024;

/** A photo as a phone takes it: rotated by EXIF (orientation 6) and carrying GPS coordinates. */
const phonePhoto = () =>
  sharp({ create: { width: 64, height: 48, channels: 3, background: { r: 200, g: 40, b: 40 } } })
    .jpeg()
    .withMetadata({ orientation: 6 })
    .withExifMerge({ IFD0: { Make: 'PhoneCo' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '51/1 30/1 0/1' } })
    .toBuffer();

/** The first bytes of a Linux executable, dressed up as a photo by its name. */
const elfBytes = () => Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), randomBytes(4000)]);

for (const dialect of DIALECTS) {
  for (const backend of STORAGE_BACKENDS) {
    describe(`attachments on ${dialect} with ${backend} storage`, () => {
      let ts: TestServer;
      let s3: TestS3 | undefined;
      beforeAll(async () => {
        if (backend === 's3') s3 = await startTestS3();
        ts = await startTestServer(dialect, {
          ...s3?.env,
          UPLOAD_MAX_BYTES: String(MAX),
          UPLOAD_QUOTA_BYTES: String(QUOTA),
          FILE_RECLAIM_GRACE_HOURS: '0',
          JOBS_POLL_MS: '50',
        });
      });
      afterAll(async () => {
        await ts.close();
        await s3?.close();
      });

      const target = (token: string) => ({ baseUrl: ts.url, token });
      const get = (token: string, path: string, headers: Record<string, string> = {}) =>
        fetch(`${ts.url}${path}`, { headers: { authorization: `Bearer ${token}`, ...headers } });
      /** Thumbnails are a background job: poll until it has run. */
      async function whenReady(token: string, path: string): Promise<Response> {
        for (let i = 0; i < 200; i++) {
          const response = await get(token, path);
          if (response.status !== 409) return response;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        throw new Error(`${path} never became ready`);
      }

      async function pair() {
        const a = await signUp(ts, 'filea');
        const b = await signUp(ts, 'fileb');
        const chat = await a.client.chats.openDirect(b.user.id);
        return { a, b, chat };
      }

      it('uploads a photo, strips its EXIF and GPS, applies the orientation, and makes WebP thumbnails and a placeholder', async () => {
        const { a, b, chat } = await pair();
        const photo = await phonePhoto();
        const fileId = await uploadFile(target(a.token), photo, { filename: 'IMG_0001.jpg' });
        const info = await a.client.files.info(fileId);
        expect(info).toMatchObject({ kind: 'image', mime: 'image/jpeg', inline: true, width: 48, height: 64, size: photo.length });
        expect(info.placeholder).toMatch(/^[A-Za-z0-9+/=]{10,}$/);
        const sent = await a.client.messages.send(chat.id, { clientId: cid(), text: '', attachments: [fileId] });
        expect(sent.attachments).toEqual([expect.objectContaining({ id: fileId, kind: 'image', width: 48, height: 64, thumbnails: true })]);

        const full = await whenReady(b.token, `/api/v1/files/${fileId}`);
        expect(full.status).toBe(200);
        expect(full.headers.get('content-type')).toBe('image/jpeg');
        expect(full.headers.get('content-disposition')).toMatch(/^inline; filename="IMG_0001.jpg"/);
        expect(full.headers.get('x-content-type-options')).toBe('nosniff');
        expect(full.headers.get('content-security-policy')).toMatch(/^sandbox/);
        const served = Buffer.from(await full.arrayBuffer());
        const meta = await sharp(served).metadata();
        expect(meta.exif).toBeUndefined();
        expect(served.includes(Buffer.from('PhoneCo'))).toBe(false);
        expect({ width: meta.width, height: meta.height, orientation: meta.orientation ?? 1 }).toEqual({
          width: 48,
          height: 64,
          orientation: 1,
        });

        const thumb = await whenReady(b.token, `/api/v1/files/${fileId}/thumbnails/160`);
        expect(thumb.status).toBe(200);
        expect(thumb.headers.get('content-type')).toBe('image/webp');
        const thumbMeta = await sharp(Buffer.from(await thumb.arrayBuffer())).metadata();
        expect(thumbMeta).toMatchObject({ format: 'webp', width: 48, height: 64 });
        expect((await get(b.token, `/api/v1/files/${fileId}/thumbnails/333`)).status).toBe(404);
      });

      it('serves byte ranges (206) of a file as a download, and refuses a range past its end with 416', async () => {
        const { a, b, chat } = await pair();
        const bytes = randomBytes(300_000);
        const fileId = await uploadFile(target(a.token), bytes, { filename: 'data.bin' });
        await a.client.messages.send(chat.id, { clientId: cid(), text: 'the data', attachments: [fileId] });
        const whole = await get(b.token, `/api/v1/files/${fileId}`);
        expect(whole.status).toBe(200);
        expect(whole.headers.get('content-type')).toBe('application/octet-stream');
        expect(whole.headers.get('content-disposition')).toMatch(/^attachment; filename="data.bin"/);
        expect(whole.headers.get('accept-ranges')).toBe('bytes');
        expect(Buffer.from(await whole.arrayBuffer()).equals(bytes)).toBe(true);
        const part = await get(b.token, `/api/v1/files/${fileId}`, { range: 'bytes=1000-1999' });
        expect(part.status).toBe(206);
        expect(part.headers.get('content-range')).toBe(`bytes 1000-1999/${bytes.length}`);
        expect(Buffer.from(await part.arrayBuffer()).equals(bytes.subarray(1000, 2000))).toBe(true);
        const tail = await get(b.token, `/api/v1/files/${fileId}`, { range: 'bytes=-10' });
        expect(Buffer.from(await tail.arrayBuffer()).equals(bytes.subarray(bytes.length - 10))).toBe(true);
        const past = await get(b.token, `/api/v1/files/${fileId}`, { range: `bytes=${bytes.length}-` });
        expect(past.status).toBe(416);
        expect((await past.json()).error.code).toBe('range_not_satisfiable');
      });

      it('judges the type from the content: a renamed executable and an SVG are never shown inline', async () => {
        const { a, b, chat } = await pair();
        const exe = await uploadFile(target(a.token), elfBytes(), { filename: 'holiday.jpg' });
        const svg = await uploadFile(
          target(a.token),
          Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
          {
            filename: 'logo.svg',
          },
        );
        const sent = await a.client.messages.send(chat.id, { clientId: cid(), text: 'look', attachments: [exe, svg] });
        expect(sent.attachments?.map((f) => [f.kind, f.inline, f.mime])).toEqual([
          ['file', false, 'application/x-elf'],
          ['file', false, 'application/octet-stream'],
        ]);
        for (const id of [exe, svg]) {
          const response = await get(b.token, `/api/v1/files/${id}`);
          expect(response.status).toBe(200);
          expect(response.headers.get('content-type')).toBe('application/octet-stream');
          expect(response.headers.get('content-disposition')).toMatch(/^attachment;/);
          expect(response.headers.get('content-security-policy')).toMatch(/^sandbox/);
        }
      });

      it('refuses an upload over UPLOAD_MAX_BYTES and one over the quota with 413 and their own codes', async () => {
        const a = await signUp(ts, 'quota');
        const tooBig = await createUpload(target(a.token), MAX + 1, { filename: 'big.bin' });
        expect(tooBig.status).toBe(413);
        expect(JSON.parse(await tooBig.text()).error.code).toBe('upload_too_large');
        // Uploads in progress count at their declared length, so the quota cannot be outrun in parallel.
        for (let i = 0; i < 2; i++) expect((await createUpload(target(a.token), MAX, { filename: `part${i}` })).status).toBe(201);
        const over = await createUpload(target(a.token), MAX, { filename: 'third' });
        expect(over.status).toBe(413);
        expect(JSON.parse(await over.text())).toMatchObject({ error: { code: 'upload_quota_exceeded', details: { quotaBytes: QUOTA } } });
      });

      it('holds the quota under concurrent uploads: of eight started at once, only those that fit are accepted', async () => {
        const a = await signUp(ts, 'race');
        const size = 1_500_000;
        const bodies = Array.from({ length: 8 }, () => randomBytes(size));
        // 8 × 1.5 MB created at the same moment against a 5 MB quota: exactly three fit, whatever order they land in.
        // (A check-then-insert outside one transaction lets five or more through on PostgreSQL.)
        const created = await Promise.all(bodies.map((_, i) => createUpload(target(a.token), size, { filename: `race${i}.bin` })));
        expect(created.map((r) => r.status).sort()).toEqual([201, 201, 201, 413, 413, 413, 413, 413]);
        for (const refused of created.filter((r) => r.status === 413))
          expect(JSON.parse(await refused.text()).error.code).toBe('upload_quota_exceeded');
        const ids = created.filter((r) => r.status === 201).map(uploadIdOf);
        const patched = await Promise.all(ids.map((id, i) => patchUpload(target(a.token), id, 0, bodies[i] as Uint8Array<ArrayBuffer>)));
        expect(patched.map((r) => r.status)).toEqual([204, 204, 204]);
        const held = await Promise.all(ids.map((id) => a.client.files.info(id)));
        expect(held.reduce((sum, file) => sum + file.size, 0)).toBeLessThanOrEqual(QUOTA);
      });

      it('cancels an upload (tus DELETE), in progress or finished and unsent: its bytes go and it no longer counts against the quota', async () => {
        const a = await signUp(ts, 'canceller');
        const t = target(a.token);
        const del = (id: string) =>
          fetch(`${ts.url}/api/v1/uploads/${id}`, {
            method: 'DELETE',
            headers: { authorization: `Bearer ${a.token}`, 'tus-resumable': '1.0.0' },
          });
        const head = (id: string) =>
          fetch(`${ts.url}/api/v1/uploads/${id}`, {
            method: 'HEAD',
            headers: { authorization: `Bearer ${a.token}`, 'tus-resumable': '1.0.0' },
          });
        const inProgress = uploadIdOf(await createUpload(t, MAX, { filename: 'half.bin' }));
        expect((await patchUpload(t, inProgress, 0, randomBytes(100_000))).status).toBe(204);
        const finished = await uploadFile(t, randomBytes(MAX), { filename: 'done.bin' });
        // With both held, a third of the same size does not fit in the quota.
        expect((await createUpload(t, MAX, { filename: 'third.bin' })).status).toBe(413);
        const parts = await ts.server.storage.db
          .selectFrom('upload_parts')
          .select('storage_key')
          .where('upload_id', '=', inProgress)
          .execute();
        expect((await del(inProgress)).status).toBe(204);
        expect((await del(finished)).status).toBe(204);
        expect((await head(inProgress)).status).toBe(404);
        expect((await head(finished)).status).toBe(404);
        await expectApiError(a.client.files.info(finished), 'file_not_found', 404);
        const storage = ts.server.services.fileStorage;
        await expect.poll(() => storage.stat(`f/${finished}`)).toBeNull();
        for (const part of parts) await expect.poll(() => storage.stat(part.storage_key)).toBeNull();
        expect((await createUpload(t, MAX, { filename: 'third.bin' })).status).toBe(201);
        // Someone else's upload is not theirs to cancel.
        const other = await signUp(ts, 'notmine');
        const theirs = await uploadFile(target(other.token), randomBytes(1000), { filename: 'theirs.bin' });
        expect((await del(theirs)).status).toBe(404);
        expect((await other.client.files.info(theirs)).size).toBe(1000);
      });

      it('answers 404 to anyone but the chat’s members, for the file and its thumbnail, and to other people’s uploads', async () => {
        const { a, chat } = await pair();
        const stranger = await signUp(ts, 'stranger');
        const fileId = await uploadFile(target(a.token), await phonePhoto(), { filename: 'p.jpg' });
        // Before it is sent, only its uploader sees it (the composer's preview).
        expect((await whenReady(stranger.token, `/api/v1/files/${fileId}`)).status).toBe(404);
        await expectApiError(stranger.client.files.info(fileId), 'file_not_found', 404);
        await expectApiError(
          stranger.client.messages.send(chat.id, { clientId: cid(), text: 'x', attachments: [fileId] }),
          'chat_not_found',
          404,
        );
        const own = await signUp(ts, 'thief');
        const theirs = await own.client.chats.openDirect(a.user.id);
        await expectApiError(
          own.client.messages.send(theirs.id, { clientId: cid(), text: 'mine now', attachments: [fileId] }),
          'file_not_found',
          404,
        );
        await a.client.messages.send(chat.id, { clientId: cid(), text: '', attachments: [fileId] });
        expect((await whenReady(stranger.token, `/api/v1/files/${fileId}`)).status).toBe(404);
        expect((await get(stranger.token, `/api/v1/files/${fileId}/thumbnails/480`)).status).toBe(404);
        expect((await get(stranger.token, `/api/v1/files/${'x'.repeat(22)}`)).status).toBe(404);
        const head = await fetch(`${ts.url}/api/v1/uploads/${fileId}`, {
          method: 'HEAD',
          headers: { authorization: `Bearer ${stranger.token}`, 'tus-resumable': '1.0.0' },
        });
        expect(head.status).toBe(404);
      });

      it('takes access away from a removed member, and makes a deleted message’s files unreachable and reclaimed', async () => {
        const owner = await signUp(ts, 'gowner');
        const member = await signUp(ts, 'gmember');
        const group = await owner.client.chats.create({ kind: 'group', name: 'Files', memberIds: [member.user.id] });
        const fileId = await uploadFile(target(owner.token), randomBytes(5000), { filename: 'notes.bin' });
        const sent = await owner.client.messages.send(group.id, { clientId: cid(), text: 'notes', attachments: [fileId] });
        expect((await get(member.token, `/api/v1/files/${fileId}`)).status).toBe(200);
        await owner.client.chats.removeMember(group.id, member.user.id);
        expect((await get(member.token, `/api/v1/files/${fileId}`)).status).toBe(404);

        await owner.client.messages.delete(group.id, sent.id);
        expect((await get(owner.token, `/api/v1/files/${fileId}`)).status).toBe(404);
        const history = await owner.client.messages.history(group.id);
        expect(history.items.find((m) => m.id === sent.id)?.attachments).toEqual([]);
        // FILE_RECLAIM_GRACE_HOURS=0: the reclaim job removes the bytes and the row straight away.
        const storage = ts.server.services.fileStorage;
        for (let i = 0; i < 100 && (await storage.stat(`f/${fileId}`)); i++) await new Promise((resolve) => setTimeout(resolve, 50));
        expect(await storage.stat(`f/${fileId}`)).toBeNull();
      });

      it('keeps attachments through an edit, and a forward reuses the stored file that outlives the original’s deletion', async () => {
        const { a, b, chat } = await pair();
        const fileId = await uploadFile(target(a.token), randomBytes(2000), { filename: 'report.bin' });
        const sent = await a.client.messages.send(chat.id, { clientId: cid(), text: 'v1', attachments: [fileId] });
        const edited = await a.client.messages.edit(chat.id, sent.id, 'v2');
        expect(edited.attachments?.map((f) => f.id)).toEqual([fileId]);
        const elsewhere = await b.client.chats.create({ kind: 'group', name: 'Elsewhere' });
        const [forwarded] = (await b.client.messages.forward(chat.id, [sent.id], [elsewhere.id])).items;
        expect(forwarded?.attachments?.map((f) => f.id)).toEqual([fileId]);
        await a.client.messages.delete(chat.id, sent.id);
        expect((await get(b.token, `/api/v1/files/${fileId}`)).status).toBe(200);
        expect((await get(a.token, `/api/v1/files/${fileId}`)).status).toBe(404);
      });

      it('refuses a message without text or files, and files that are still uploading', async () => {
        const { a, chat } = await pair();
        await expectApiError(a.client.messages.send(chat.id, { clientId: cid(), text: '' }), 'validation_failed', 400);
        const created = await createUpload(target(a.token), 1000, { filename: 'half.bin' });
        await expectApiError(
          a.client.messages.send(chat.id, { clientId: cid(), text: 'too soon', attachments: [uploadIdOf(created)] }),
          'file_not_found',
          404,
        );
      });

      it('sets a square avatar that the other members hear of live and any signed-in user may see; a group photo by who may edit it', async () => {
        const { a, b } = await pair();
        const bobDevice = await connectDevice(ts.url, b.token);
        try {
          const photo = await sharp({ create: { width: 300, height: 200, channels: 3, background: '#3366aa' } })
            .png()
            .toBuffer();
          const avatarId = await uploadFile(target(a.token), photo, { filename: 'me.png', purpose: 'avatar' });
          // The squares are a background job: until they exist, setting it is not yet possible.
          let me: Awaited<ReturnType<typeof a.client.files.setMyAvatar>> | undefined;
          for (let i = 0; i < 100 && !me; i++) {
            me = await a.client.files.setMyAvatar(avatarId).catch(async (error: { code?: string }) => {
              if (error.code !== 'file_not_ready') throw error;
              await new Promise((resolve) => setTimeout(resolve, 50));
              return undefined;
            });
          }
          expect(me?.avatarId).toBe(avatarId);
          const heard = await bobDevice.waitFor(
            (f) => f.event === 'user.updated' && (f.data as { user: { id: string } }).user.id === a.user.id,
          );
          expect((heard.data as { user: { avatarId: string } }).user.avatarId).toBe(avatarId);
          expect((await b.client.users.get(a.user.id)).avatarId).toBe(avatarId);
          const stranger = await signUp(ts, 'avatarx');
          const square = await get(stranger.token, `/api/v1/files/${avatarId}/thumbnails/96`);
          expect(square.status).toBe(200);
          expect(await sharp(Buffer.from(await square.arrayBuffer())).metadata()).toMatchObject({ width: 96, height: 96, format: 'webp' });
          // A photo that is not an avatar upload cannot be one; an avatar upload cannot go into a message.
          const plain = await uploadFile(target(a.token), photo, { filename: 'plain.png' });
          await expectApiError(a.client.files.setMyAvatar(plain), 'file_not_found', 404);
          const chat = await a.client.chats.openDirect(b.user.id);
          await expectApiError(
            a.client.messages.send(chat.id, { clientId: cid(), text: 'x', attachments: [avatarId] }),
            'file_not_found',
            404,
          );
          const group = await a.client.chats.create({ kind: 'group', name: 'Photos', memberIds: [b.user.id] });
          await expectApiError(b.client.files.setChatAvatar(group.id, null), 'forbidden', 403);
          await expectApiError(stranger.client.files.setChatAvatar(group.id, null), 'chat_not_found', 404);
          expect(await a.client.files.setChatAvatar(group.id, avatarId)).toEqual({ id: group.id, avatarId });
          expect((await b.client.chats.get(group.id)).avatarId).toBe(avatarId);
          // Cleared: initials again; the photo is released.
          expect((await a.client.files.setMyAvatar(null)).avatarId).toBeNull();
          // …but the group still shows it.
          expect((await get(b.token, `/api/v1/files/${avatarId}/thumbnails/512`)).status).toBe(200);
        } finally {
          bobDevice.close();
        }
      });

      it('refuses an avatar upload that is not an image, and keeps none of its bytes', async () => {
        const a = await signUp(ts, 'notphoto');
        const t = target(a.token);
        const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(20_000)]);
        const id = uploadIdOf(await createUpload(t, pdf.length, { filename: 'me.pdf', purpose: 'avatar' }));
        expect((await patchUpload(t, id, 0, pdf.subarray(0, 10_000))).status).toBe(204);
        const parts = await ts.server.storage.db.selectFrom('upload_parts').select('storage_key').where('upload_id', '=', id).execute();
        const last = await patchUpload(t, id, 10_000, pdf.subarray(10_000));
        expect(last.status).toBe(400);
        expect(JSON.parse(await last.text())).toMatchObject({
          error: { code: 'validation_failed', details: { field: 'file', rule: 'image' } },
        });
        await expectApiError(a.client.files.info(id), 'file_not_found', 404);
        const storage = ts.server.services.fileStorage;
        expect(await storage.stat(`f/${id}`)).toBeNull();
        for (const part of parts) expect(await storage.stat(part.storage_key)).toBeNull();
      });

      it('lists the gallery by tab, newest first, in pages that keep a message’s files together', async () => {
        const { a, b, chat } = await pair();
        const photo1 = await uploadFile(target(a.token), await phonePhoto(), { filename: '1.jpg' });
        const photo2 = await uploadFile(target(a.token), await phonePhoto(), { filename: '2.jpg' });
        const doc = await uploadFile(target(a.token), Buffer.from('%PDF-1.4\n%âãÏÓ\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF'), {
          filename: 'a.pdf',
        });
        const first = await a.client.messages.send(chat.id, { clientId: cid(), text: 'two photos', attachments: [photo1, photo2] });
        await a.client.messages.send(chat.id, { clientId: cid(), text: 'see https://example.org/x and http://a.test', attachments: [doc] });
        const photo3 = await uploadFile(target(a.token), await phonePhoto(), { filename: '3.jpg' });
        const last = await a.client.messages.send(chat.id, { clientId: cid(), text: '', attachments: [photo3] });
        const page1 = await b.client.files.gallery(chat.id, { tab: 'media', limit: 1 });
        expect(page1.items.map((i) => i.attachment?.id)).toEqual([photo3]);
        expect(page1.items[0]?.messageId).toBe(last.id);
        expect(page1.nextBefore).toBe(last.seq);
        // The page of one still holds both photos of the older message.
        const page2 = await b.client.files.gallery(chat.id, { tab: 'media', limit: 1, before: last.seq });
        expect(page2.items.map((i) => [i.attachment?.id, i.messageId])).toEqual([
          [photo1, first.id],
          [photo2, first.id],
        ]);
        expect(page2.nextBefore).toBeNull();
        const files = await b.client.files.gallery(chat.id, { tab: 'files' });
        expect(files.items.map((i) => [i.attachment?.name, i.attachment?.mime])).toEqual([['a.pdf', 'application/pdf']]);
        const links = await b.client.files.gallery(chat.id, { tab: 'links' });
        expect(links.items[0]?.links).toEqual(['https://example.org/x', 'http://a.test']);
        const stranger = await signUp(ts, 'galleryx');
        await expectApiError(stranger.client.files.gallery(chat.id, { tab: 'media' }), 'chat_not_found', 404);
      });
    });
  }
}
