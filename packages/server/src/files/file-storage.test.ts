import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import { STORAGE_BACKENDS, startTestS3, type TestS3 } from '../test/s3-server.js';
import type { FileStorage } from './file-storage.js';
import { createFileStorage } from './index.js';

const readAll = async (stream: Readable | null) => {
  if (!stream) return null;
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
};

/** A stream of `total` pseudo-random bytes (AES-CTR over zeros) in small chunks, never one buffer of the whole. */
function generated(total: number, seed: Buffer): Readable {
  const cipher = createCipheriv('aes-128-ctr', seed, Buffer.alloc(16));
  let sent = 0;
  return new Readable({
    read() {
      if (sent >= total) return this.push(null);
      const size = Math.min(64 * 1024, total - sent);
      sent += size;
      this.push(cipher.update(Buffer.alloc(size)));
    },
  });
}

const sha256 = async (stream: Readable) => {
  const hash = createHash('sha256');
  for await (const chunk of stream) hash.update(chunk as Buffer);
  return hash.digest('hex');
};

for (const backend of STORAGE_BACKENDS) {
  describe(`file storage on ${backend}`, () => {
    let storage: FileStorage;
    let s3: TestS3 | undefined;
    let dataDir: string;
    beforeAll(async () => {
      dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-files-'));
      if (backend === 's3') s3 = await startTestS3();
      storage = createFileStorage(loadConfig({ DATA_DIR: dataDir, ...s3?.env }));
    });
    afterAll(async () => {
      await storage.close();
      await s3?.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    });

    it('is the backend the config selects', () => {
      expect(storage.backend).toBe(backend);
    });

    it('stores a buffer and reads it back whole and by inclusive byte range', async () => {
      const body = Buffer.from('0123456789abcdef');
      expect(await storage.put('k1/small', body, 'text/plain')).toEqual({ size: 16 });
      expect((await readAll(await storage.get('k1/small')))?.toString()).toBe('0123456789abcdef');
      expect((await readAll(await storage.get('k1/small', { start: 3, end: 6 })))?.toString()).toBe('3456');
      expect((await readAll(await storage.get('k1/small', { start: 15, end: 15 })))?.toString()).toBe('f');
      expect(await storage.stat('k1/small')).toEqual({ size: 16 });
    });

    it('streams a file larger than one S3 part in and out with the same SHA-256', async () => {
      const seed = randomBytes(16);
      const total = 17 * 1024 * 1024 + 12_345;
      const expected = await sha256(generated(total, seed));
      expect(await storage.put('big/one', generated(total, seed))).toEqual({ size: total });
      expect(await storage.stat('big/one')).toEqual({ size: total });
      const stored = await storage.get('big/one');
      if (!stored) throw new Error('missing');
      expect(await sha256(stored)).toBe(expected);
      const tail = await readAll(await storage.get('big/one', { start: total - 10, end: total - 1 }));
      expect(tail).toHaveLength(10);
    });

    it('replaces on a second put, deletes idempotently, and answers null for a missing key', async () => {
      await storage.put('k2/x', Buffer.from('first'));
      await storage.put('k2/x', Readable.from([Buffer.from('sec'), Buffer.from('ond')]));
      expect((await readAll(await storage.get('k2/x')))?.toString()).toBe('second');
      await storage.delete('k2/x');
      await storage.delete('k2/x');
      expect(await storage.get('k2/x')).toBeNull();
      expect(await storage.stat('k2/x')).toBeNull();
      expect(await storage.get('never/was')).toBeNull();
    });

    it('stores an empty stream as an empty object', async () => {
      expect(await storage.put('k3/empty', Readable.from([]))).toEqual({ size: 0 });
      expect(await readAll(await storage.get('k3/empty'))).toEqual(Buffer.alloc(0));
    });

    it('refuses keys that could leave its root', async () => {
      await expect(storage.put('../escape', Buffer.from('x'))).rejects.toThrow(/bad storage key/);
      await expect(storage.get('/etc/passwd')).rejects.toThrow(/bad storage key/);
    });
  });
}
