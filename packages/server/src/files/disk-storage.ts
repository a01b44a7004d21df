/**
 * File storage on local disk: one file per key under a root directory (DATA_DIR/files).
 * Writes go to a temporary name and are renamed into place, so a reader never sees half a file.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { assertKey, type ByteRange, type FileStorage } from './file-storage.js';

const isMissing = (error: unknown) => (error as NodeJS.ErrnoException).code === 'ENOENT';

export function createDiskStorage(root: string): FileStorage {
  fs.mkdirSync(root, { recursive: true });
  const pathOf = (key: string) => {
    assertKey(key);
    return path.join(root, key);
  };
  return {
    backend: 'disk',
    async put(key, body) {
      const target = pathOf(key);
      await fsp.mkdir(path.dirname(target), { recursive: true });
      const temporary = `${target}.${randomBytes(6).toString('hex')}.tmp`;
      try {
        await pipeline(Buffer.isBuffer(body) ? Readable.from([body]) : body, fs.createWriteStream(temporary));
        await fsp.rename(temporary, target);
      } catch (error) {
        await fsp.rm(temporary, { force: true });
        throw error;
      }
      return { size: (await fsp.stat(target)).size };
    },
    async get(key, range?: ByteRange) {
      const file = pathOf(key);
      try {
        const handle = await fsp.open(file, 'r');
        return handle.createReadStream(range ? { start: range.start, end: range.end } : {});
      } catch (error) {
        if (isMissing(error)) return null;
        throw error;
      }
    },
    async stat(key) {
      try {
        const stat = await fsp.stat(pathOf(key));
        return stat.isFile() ? { size: stat.size } : null;
      } catch (error) {
        if (isMissing(error)) return null;
        throw error;
      }
    },
    async delete(key) {
      await fsp.rm(pathOf(key), { force: true });
    },
    localPath: (key) => pathOf(key),
    async close() {},
  };
}
