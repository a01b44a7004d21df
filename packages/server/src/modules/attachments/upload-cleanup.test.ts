/**
 * The `attachments.cleanup` job: uploads older than UPLOAD_ABANDONED_HOURS that nothing
 * will use — never finished, or finished and never sent nor made an avatar — go with their
 * bytes (stored and staged) and stop counting against the quota; staged files no upload
 * owns go too (on S3: the parts of an unfinished upload). Sent files, avatars and recent
 * uploads stay.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../test/dialects.js';
import { STORAGE_BACKENDS, startTestS3, type TestS3 } from '../../test/s3-server.js';
import { signUp, startTestServer, type TestServer } from '../../test/test-server.js';
import { createUpload, patchUpload, uploadFile, uploadIdOf, uploadOffset } from '../../test/tus-upload.js';
import { CLEANUP_JOB } from './attachments.service.js';

const HOUR = 3_600_000;
const QUOTA = 1_000_000;

for (const dialect of DIALECTS) {
  for (const backend of STORAGE_BACKENDS) {
    describe(`upload clean-up on ${dialect} with ${backend} storage`, () => {
      let ts: TestServer;
      let s3: TestS3 | undefined;
      beforeAll(async () => {
        if (backend === 's3') s3 = await startTestS3();
        ts = await startTestServer(dialect, {
          ...s3?.env,
          UPLOAD_ABANDONED_HOURS: '1',
          UPLOAD_QUOTA_BYTES: String(QUOTA),
          JOBS_POLL_MS: '50',
        });
      });
      afterAll(async () => {
        await ts.close();
        await s3?.close();
      });
      /** Where the bytes of an unfinished upload are: staged on disk, or parts in the bucket. */
      async function inProgressBytes(id: string): Promise<boolean[]> {
        if (backend === 'disk') return [fs.existsSync(path.join(staging(), id)), fs.existsSync(path.join(staging(), `${id}.json`))];
        const parts = await db().selectFrom('upload_parts').select('storage_key').where('upload_id', '=', id).execute();
        return Promise.all(parts.map(async (part) => (await ts.server.services.fileStorage.stat(part.storage_key)) !== null));
      }

      const db = () => ts.server.storage.db;
      const backdate = (id: string, hours: number) =>
        db()
          .updateTable('files')
          .set({ created_at: Date.now() - hours * HOUR })
          .where('id', '=', id)
          .execute();
      const fileRow = (id: string) => db().selectFrom('files').select(['id', 'state']).where('id', '=', id).executeTakeFirst();
      const staging = () => ts.server.services.attachments.stagingDir;

      it('runs when the server starts, and queues the next hour’s run', async () => {
        const slot = Math.floor(Date.now() / HOUR);
        // This hour's run is due at once; once it has run, only the next hour's is left.
        await expect
          .poll(async () =>
            (await db().selectFrom('jobs').select('unique_key').where('kind', '=', CLEANUP_JOB).execute()).map((job) => job.unique_key),
          )
          .toEqual([`${CLEANUP_JOB}:${slot + 1}`]);
      });

      it('removes abandoned and never-used uploads older than the setting with their bytes, and keeps sent files, avatars and recent uploads', async () => {
        const a = await signUp(ts, 'cleaner');
        const b = await signUp(ts, 'cleanerb');
        const target = { baseUrl: ts.url, token: a.token };
        const chat = await a.client.chats.openDirect(b.user.id);

        // Never finished: 200 kB of 600 kB arrived, two hours ago.
        const unfinished = uploadIdOf(await createUpload(target, 600_000, { filename: 'half.bin' }));
        expect((await patchUpload(target, unfinished, 0, randomBytes(200_000))).status).toBe(204);
        const heldBytes = await inProgressBytes(unfinished);
        expect(heldBytes.length).toBeGreaterThan(0);
        expect(heldBytes.every(Boolean)).toBe(true);
        const partKeys = (await db().selectFrom('upload_parts').select('storage_key').where('upload_id', '=', unfinished).execute()).map(
          (part) => part.storage_key,
        );
        // Finished, never sent.
        const unsent = await uploadFile(target, randomBytes(100_000), { filename: 'unsent.bin' });
        // Finished and sent.
        const sent = await uploadFile(target, randomBytes(1000), { filename: 'sent.bin' });
        await a.client.messages.send(chat.id, { clientId: `c${Date.now()}`, text: 'kept', attachments: [sent] });
        // An avatar in use.
        const photo = await sharp({ create: { width: 40, height: 40, channels: 3, background: '#884422' } })
          .png()
          .toBuffer();
        const avatar = await uploadFile(target, photo, { filename: 'me.png', purpose: 'avatar' });
        // Its squares are a background job (slow on a loaded machine): set it once they exist.
        await expect
          .poll(async () => (await a.client.files.setMyAvatar(avatar).catch(() => null))?.avatarId, { timeout: 30_000 })
          .toBe(avatar);
        for (const id of [unfinished, unsent, sent, avatar]) await backdate(id, 2);
        // Recent and unfinished: someone is still uploading it.
        const recent = uploadIdOf(await createUpload(target, 5000, { filename: 'now.bin' }));
        expect((await patchUpload(target, recent, 0, randomBytes(1000))).status).toBe(204);
        // A staged file nobody owns (a crash between tus's write and our row), two hours old.
        const stray = path.join(staging(), 'strayStrayStray0001');
        fs.writeFileSync(stray, randomBytes(100));
        fs.writeFileSync(`${stray}.json`, '{}');
        const old = new Date(Date.now() - 2 * HOUR);
        fs.utimesSync(stray, old, old);
        fs.utimesSync(`${stray}.json`, old, old);

        // Together they hold the whole quota: a new upload does not fit.
        expect((await createUpload(target, 300_000, { filename: 'more.bin' })).status).toBe(413);

        // The job runs the sweep (as its hourly slot would).
        await ts.server.services.jobs.enqueue(CLEANUP_JOB, {});
        await expect.poll(() => fileRow(unsent)).toBeUndefined();
        await expect.poll(() => fileRow(unfinished)).toBeUndefined();

        const storage = ts.server.services.fileStorage;
        expect(await storage.stat(`f/${unsent}`)).toBeNull();
        expect(fs.existsSync(path.join(staging(), unfinished))).toBe(false);
        expect(fs.existsSync(path.join(staging(), `${unfinished}.json`))).toBe(false);
        for (const key of partKeys) expect(await storage.stat(key)).toBeNull();
        await expect.poll(() => fs.existsSync(stray)).toBe(false);
        expect(fs.existsSync(`${stray}.json`)).toBe(false);
        const gone = await fetch(`${ts.url}/api/v1/uploads/${unfinished}`, {
          method: 'HEAD',
          headers: { authorization: `Bearer ${a.token}`, 'tus-resumable': '1.0.0' },
        });
        expect(gone.status).toBe(404);

        expect((await fileRow(sent))?.state).toBe('ready');
        expect(await storage.stat(`f/${sent}`)).not.toBeNull();
        expect((await b.client.users.get(a.user.id)).avatarId).toBe(avatar);
        expect(
          (await fetch(`${ts.url}/api/v1/files/${avatar}/thumbnails/96`, { headers: { authorization: `Bearer ${b.token}` } })).status,
        ).toBe(200);
        expect(await uploadOffset(target, recent)).toBe(1000);
        // The abandoned bytes no longer count against the quota.
        expect((await createUpload(target, 300_000, { filename: 'more.bin' })).status).toBe(201);
        // The handler queued the next hour's sweep.
        const nextSlot = Math.floor(Date.now() / HOUR) + 1;
        const next = await db()
          .selectFrom('jobs')
          .select('run_at')
          .where('unique_key', '=', `${CLEANUP_JOB}:${nextSlot}`)
          .executeTakeFirst();
        expect(next?.run_at).toBe(nextSlot * HOUR);
      });
    });
  }
}
