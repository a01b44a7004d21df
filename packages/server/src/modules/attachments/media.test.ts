/**
 * Video, audio and voice through the real server with ffmpeg on the PATH: the files are
 * made by ffmpeg itself in the test (a 2 s H.264 clip, a sound-only WebM, an Ogg Opus
 * voice note), uploaded over tus, and measured by ffprobe; the video's poster frame
 * becomes its thumbnails. media-without-ffmpeg.test.ts covers a server without ffmpeg.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, REQUIRE_SERVICES } from '../../test/dialects.js';
import { STORAGE_BACKENDS, startTestS3, type TestS3 } from '../../test/s3-server.js';
import { makeTestMedia, type TestMedia } from '../../test/test-media.js';
import { signUp, startTestServer, type TestServer } from '../../test/test-server.js';
import { uploadFile } from '../../test/tus-upload.js';
import { hasFfmpeg } from './media-tools.js';

let counter = 0;
const cid = () => `m${Date.now().toString(36)}${(counter++).toString(36)}`;

// Without ffmpeg the suites below would test the degraded path by accident: they are
// skipped with a warning, and in CI (PARLEY_TEST_REQUIRE_SERVICES=1) that is a failure.
const ffmpeg = await hasFfmpeg();
if (!ffmpeg && !REQUIRE_SERVICES) console.warn('ffmpeg/ffprobe are not on the PATH: the video and audio tests are skipped');

describe('ffmpeg is present on this machine', () => {
  it.skipIf(!REQUIRE_SERVICES)('answers on the PATH (required in CI)', () => {
    expect(ffmpeg).toBe(true);
  });
});

for (const dialect of DIALECTS) {
  for (const backend of STORAGE_BACKENDS) {
    describe.skipIf(!ffmpeg)(`video and audio on ${dialect} with ${backend} storage`, () => {
      let ts: TestServer;
      let s3: TestS3 | undefined;
      let dir: string;
      let media: TestMedia;
      beforeAll(async () => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-media-'));
        media = makeTestMedia(dir);
        if (backend === 's3') s3 = await startTestS3();
        ts = await startTestServer(dialect, { ...s3?.env, JOBS_POLL_MS: '50' });
      }, 60_000);
      afterAll(async () => {
        await ts.close();
        await s3?.close();
        fs.rmSync(dir, { recursive: true, force: true });
      });

      const get = (token: string, url: string, headers: Record<string, string> = {}) =>
        fetch(`${ts.url}${url}`, { headers: { authorization: `Bearer ${token}`, ...headers } });
      async function whenReady(token: string, url: string): Promise<Response> {
        for (let i = 0; i < 200; i++) {
          const response = await get(token, url);
          if (response.status !== 409) return response;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        throw new Error(`${url} never became ready`);
      }

      it('measures a video with ffprobe and makes its poster frame into thumbnails and a placeholder; it streams by range', async () => {
        const a = await signUp(ts, 'vida');
        const b = await signUp(ts, 'vidb');
        const chat = await a.client.chats.openDirect(b.user.id);
        const fileId = await uploadFile({ baseUrl: ts.url, token: a.token }, media.video, { filename: 'clip.mp4' });
        const info = await a.client.files.info(fileId);
        expect(info).toMatchObject({ kind: 'video', mime: 'video/mp4', inline: true, width: 320, height: 240, thumbnails: true });
        expect(info.durationMs).toBeGreaterThanOrEqual(1900);
        expect(info.durationMs).toBeLessThanOrEqual(2200);
        expect(info.placeholder).toMatch(/^[A-Za-z0-9+/=]{10,}$/);
        await a.client.messages.send(chat.id, { clientId: cid(), text: 'a clip', attachments: [fileId] });

        const poster = await whenReady(b.token, `/api/v1/files/${fileId}/thumbnails/160`);
        expect(poster.status).toBe(200);
        expect(poster.headers.get('content-type')).toBe('image/webp');
        const posterImage = sharp(Buffer.from(await poster.arrayBuffer()));
        expect(await posterImage.metadata()).toMatchObject({ format: 'webp', width: 160, height: 120 });
        // testsrc is colour bars, not a blank frame: the poster is a picture of the video.
        const { channels } = await posterImage.stats();
        expect(Math.max(...channels.map((c) => c.stdev))).toBeGreaterThan(20);
        // Never larger than the video itself.
        const large = await whenReady(b.token, `/api/v1/files/${fileId}/thumbnails/1280`);
        expect(await sharp(Buffer.from(await large.arrayBuffer())).metadata()).toMatchObject({ width: 320, height: 240 });

        const whole = await get(b.token, `/api/v1/files/${fileId}`);
        expect(whole.headers.get('content-type')).toBe('video/mp4');
        expect(whole.headers.get('content-disposition')).toMatch(/^inline;/);
        expect(Buffer.from(await whole.arrayBuffer()).equals(media.video)).toBe(true);
        const seek = await get(b.token, `/api/v1/files/${fileId}`, { range: `bytes=${media.video.length - 500}-` });
        expect(seek.status).toBe(206);
        expect(Buffer.from(await seek.arrayBuffer()).equals(media.video.subarray(media.video.length - 500))).toBe(true);
      });

      it('tells a sound-only WebM from a video: audio, with its duration and no poster', async () => {
        const a = await signUp(ts, 'auda');
        const fileId = await uploadFile({ baseUrl: ts.url, token: a.token }, media.soundOnlyWebm, { filename: 'tune.webm' });
        const info = await a.client.files.info(fileId);
        expect(info).toMatchObject({ kind: 'audio', inline: true, thumbnails: false, width: null, height: null });
        expect(info.durationMs).toBeGreaterThanOrEqual(1400);
        expect(info.durationMs).toBeLessThanOrEqual(1700);
        expect((await get(a.token, `/api/v1/files/${fileId}/thumbnails/160`)).status).toBe(404);
      });

      it('serves an animated GIF as uploaded, every frame, inline as image/gif, with a still thumbnail', async () => {
        const a = await signUp(ts, 'gifa');
        const b = await signUp(ts, 'gifb');
        const chat = await a.client.chats.openDirect(b.user.id);
        expect((await sharp(media.animatedGif, { animated: true }).metadata()).pages).toBe(5);
        const fileId = await uploadFile({ baseUrl: ts.url, token: a.token }, media.animatedGif, { filename: 'bars.gif' });
        const info = await a.client.files.info(fileId);
        expect(info).toMatchObject({ kind: 'image', mime: 'image/gif', inline: true, animated: true, width: 64, height: 48 });
        await a.client.messages.send(chat.id, { clientId: cid(), text: '', attachments: [fileId] });
        const served = await whenReady(b.token, `/api/v1/files/${fileId}`);
        expect(served.headers.get('content-type')).toBe('image/gif');
        expect(served.headers.get('content-disposition')).toMatch(/^inline;/);
        const bytes = Buffer.from(await served.arrayBuffer());
        expect(bytes.equals(media.animatedGif)).toBe(true);
        const still = await whenReady(b.token, `/api/v1/files/${fileId}/thumbnails/160`);
        expect(await sharp(Buffer.from(await still.arrayBuffer())).metadata()).toMatchObject({ format: 'webp', width: 64, height: 48 });
      });

      it('keeps a voice message’s recorded waveform, takes its duration from ffprobe when the recorder sent none, and prefers the recorder’s', async () => {
        const a = await signUp(ts, 'voicea');
        const target = { baseUrl: ts.url, token: a.token };
        const waveform = Buffer.from(Array.from({ length: 64 }, (_, i) => (i * 4) % 256)).toString('base64');
        const measured = await uploadFile(target, media.voice, { filename: 'voice.ogg', purpose: 'voice', waveform });
        const info = await a.client.files.info(measured);
        expect(info).toMatchObject({ kind: 'voice', mime: 'audio/ogg', inline: true, waveform });
        expect(info.durationMs).toBeGreaterThanOrEqual(2900);
        expect(info.durationMs).toBeLessThanOrEqual(3200);
        const told = await uploadFile(target, media.voice, { filename: 'voice.ogg', purpose: 'voice', durationMs: '3050', waveform });
        expect((await a.client.files.info(told)).durationMs).toBe(3050);
      });

      it('draws the waveform of a voice message whose recorder sent none: loud while the tone sounds, flat in the silence after', async () => {
        const a = await signUp(ts, 'wavea');
        const fileId = await uploadFile({ baseUrl: ts.url, token: a.token }, media.voice, { filename: 'bot-voice.ogg', purpose: 'voice' });
        const info = await a.client.files.info(fileId);
        expect(info.kind).toBe('voice');
        const samples = [...Buffer.from(info.waveform ?? '', 'base64')];
        expect(samples).toHaveLength(128);
        const firstThird = samples.slice(0, 40);
        const lastThird = samples.slice(-40);
        expect(Math.min(...firstThird)).toBeGreaterThan(150);
        expect(Math.max(...lastThird)).toBeLessThan(30);
      });
    });
  }
}
