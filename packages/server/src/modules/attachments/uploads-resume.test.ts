import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { UPLOADS_PATH } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../test/dialects.js';
import { STORAGE_BACKENDS, startTestS3, type TestS3 } from '../../test/s3-server.js';
import { signUp, startTestServer, type TestServer } from '../../test/test-server.js';
import { createUpload, patchUpload, uploadIdOf, uploadOffset } from '../../test/tus-upload.js';

const TOTAL = 100 * 1024 * 1024;

/** 100 MB of varied bytes in a temporary file, and their SHA-256. */
async function bigFile(dir: string): Promise<{ file: string; sha256: string }> {
  const file = path.join(dir, 'big.bin');
  const hash = createHash('sha256');
  const out = fs.createWriteStream(file);
  // AES-CTR over zeros: fast, incompressible, different in every block.
  const cipher = createCipheriv('aes-128-ctr', randomBytes(16), randomBytes(16));
  const zeros = Buffer.alloc(1024 * 1024);
  for (let i = 0; i < TOTAL / zeros.length; i++) {
    const block = cipher.update(zeros);
    hash.update(block);
    if (!out.write(block)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  await new Promise<void>((resolve) => out.end(() => resolve()));
  return { file, sha256: hash.digest('hex') };
}

/** A PATCH that sends `cutAfter` bytes of the file and then drops the connection, as a train going into a tunnel would. */
function interruptedPatch(url: string, token: string, file: string, cutAfter: number): Promise<void> {
  return new Promise((resolve) => {
    const request = http.request(url, {
      method: 'PATCH',
      headers: {
        authorization: `Bearer ${token}`,
        'tus-resumable': '1.0.0',
        'upload-offset': '0',
        'content-type': 'application/offset+octet-stream',
        'content-length': String(TOTAL),
      },
    });
    request.on('error', () => resolve());
    request.on('close', () => resolve());
    const source = fs.createReadStream(file, { end: cutAfter - 1 });
    source.on('data', (chunk) => {
      if (!request.write(chunk)) {
        source.pause();
        request.once('drain', () => source.resume());
      }
    });
    // Give the server a moment to write what it received, then cut the line.
    source.on('end', () => setTimeout(() => request.destroy(), 300));
  });
}

const dialect = DIALECTS[0] ?? 'sqlite';

for (const backend of STORAGE_BACKENDS) {
  describe(`resumable uploads on ${dialect} with ${backend} storage`, () => {
    let ts: TestServer;
    let s3: TestS3 | undefined;
    let dir: string;
    let big: { file: string; sha256: string };
    beforeAll(async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-resume-'));
      big = await bigFile(dir);
      if (backend === 's3') s3 = await startTestS3();
      ts = await startTestServer(dialect, { ...s3?.env });
    }, 120_000);
    afterAll(async () => {
      await ts.close();
      await s3?.close();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('resumes an interrupted 100 MB upload from the offset the server has, and stores exactly those bytes', async () => {
      const a = await signUp(ts, 'resume');
      const target = { baseUrl: ts.url, token: a.token };
      const created = await createUpload(target, TOTAL, { filename: 'big.bin' });
      expect(created.status).toBe(201);
      const id = uploadIdOf(created);
      await interruptedPatch(`${ts.url}${UPLOADS_PATH}/${id}`, a.token, big.file, 40 * 1024 * 1024);
      // The server may need a moment to notice the cut and release the upload's lock.
      let offset = 0;
      for (let i = 0; i < 50; i++) {
        offset = await uploadOffset(target, id);
        if (offset > 0) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(offset).toBeGreaterThan(0);
      expect(offset).toBeLessThan(TOTAL);
      const rest = Readable.toWeb(fs.createReadStream(big.file, { start: offset })) as ReadableStream;
      const finished = await patchUpload(target, id, offset, rest, {
        headers: {
          authorization: `Bearer ${a.token}`,
          'tus-resumable': '1.0.0',
          'upload-offset': String(offset),
          'content-type': 'application/offset+octet-stream',
          'content-length': String(TOTAL - offset),
        },
      });
      expect(finished.status).toBe(204);
      expect(await uploadOffset(target, id)).toBe(TOTAL);
      const info = await a.client.files.info(id);
      // Not its kind: 100 MB of random bytes now and then begin like an MP3 frame.
      expect(info).toMatchObject({ size: TOTAL, sha256: big.sha256 });
      const stored = await ts.server.services.fileStorage.get(`f/${id}`);
      if (!stored) throw new Error('not stored');
      const hash = createHash('sha256');
      for await (const chunk of stored) hash.update(chunk as Buffer);
      expect(hash.digest('hex')).toBe(big.sha256);
    }, 180_000);
  });
}
