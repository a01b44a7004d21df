/**
 * A server on a machine without ffmpeg (PATH emptied before anything asks for it): videos
 * and audio are still accepted, typed from their bytes, served inline and streamed by
 * range — a plain player — but get no poster, no thumbnails and no measured duration. A
 * voice message keeps the duration and waveform its recorder sent.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../test/dialects.js';
import { makeTestMedia, type TestMedia } from '../../test/test-media.js';
import { signUp, startTestServer, type TestServer } from '../../test/test-server.js';
import { uploadFile } from '../../test/tus-upload.js';
import { hasFfmpeg } from './media-tools.js';

const dialect = DIALECTS[0] ?? 'sqlite';

describe(`video and audio on ${dialect} without ffmpeg`, () => {
  let ts: TestServer;
  let dir: string;
  let media: TestMedia;
  const originalPath = process.env.PATH;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-noffmpeg-'));
    // The files are made first, by ffmpeg's full path; then the PATH holds only an empty directory.
    media = makeTestMedia(dir, execFileSync('sh', ['-c', 'command -v ffmpeg']).toString().trim());
    const empty = path.join(dir, 'empty-bin');
    fs.mkdirSync(empty);
    process.env.PATH = empty;
    ts = await startTestServer(dialect, { JOBS_POLL_MS: '50' });
  }, 60_000);
  afterAll(async () => {
    process.env.PATH = originalPath;
    await ts?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('sees no ffmpeg (the check this suite depends on)', async () => {
    expect(await hasFfmpeg()).toBe(false);
  });

  it('accepts a video as an inline video with no poster, thumbnails or duration, and streams it by range', async () => {
    const a = await signUp(ts, 'plain');
    const fileId = await uploadFile({ baseUrl: ts.url, token: a.token }, media.video, { filename: 'clip.mp4' });
    const info = await a.client.files.info(fileId);
    expect(info).toMatchObject({ kind: 'video', mime: 'video/mp4', inline: true, thumbnails: false, durationMs: null, placeholder: null });
    const headers = { authorization: `Bearer ${a.token}` };
    expect((await fetch(`${ts.url}/api/v1/files/${fileId}/thumbnails/160`, { headers })).status).toBe(404);
    const part = await fetch(`${ts.url}/api/v1/files/${fileId}`, { headers: { ...headers, range: 'bytes=0-99' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-type')).toBe('video/mp4');
    expect(Buffer.from(await part.arrayBuffer()).equals(media.video.subarray(0, 100))).toBe(true);
  });

  it('keeps a voice message’s recorded duration and waveform, and leaves an unmeasured one without a duration', async () => {
    const a = await signUp(ts, 'plainvoice');
    const target = { baseUrl: ts.url, token: a.token };
    const waveform = Buffer.from([0, 40, 80, 120, 160, 200, 240]).toString('base64');
    const told = await uploadFile(target, media.voice, { filename: 'v.ogg', purpose: 'voice', durationMs: '3000', waveform });
    expect(await a.client.files.info(told)).toMatchObject({ kind: 'voice', inline: true, durationMs: 3000, waveform });
    const untold = await uploadFile(target, media.voice, { filename: 'v.ogg', purpose: 'voice' });
    expect(await a.client.files.info(untold)).toMatchObject({ kind: 'voice', durationMs: null, waveform: null });
  });
});
