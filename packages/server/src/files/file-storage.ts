/**
 * The file storage port: where the bytes of uploaded files, thumbnails and posters live.
 * Two backends — a directory on local disk (the embedded default, under DATA_DIR) and
 * S3-compatible object storage (what several instances share) — pass one test suite
 * (file-storage.test.ts). Everything is streamed: no method holds a whole file in memory.
 *
 * Uploads in progress are kept by tus's data store: on disk staged under DATA_DIR/uploads;
 * with S3 as parts stored through this port (modules/attachments/storage-upload-store.ts),
 * so instances sharing the bucket share them too.
 */
import type { Readable } from 'node:stream';

/** Inclusive byte range, as in HTTP `Range: bytes=start-end`. */
export interface ByteRange {
  start: number;
  end: number;
}

export interface StoredObject {
  size: number;
}

export interface FileStorage {
  readonly backend: 'disk' | 's3';
  /** Writes the stream under `key` (replacing what was there); resolves once it is durable. */
  put(key: string, body: Readable | Buffer, contentType?: string): Promise<StoredObject>;
  /** The bytes under `key` (or the range of them); null when there is no such object. */
  get(key: string, range?: ByteRange): Promise<Readable | null>;
  stat(key: string): Promise<StoredObject | null>;
  /** Removes the object (and nothing else); no error when it is already gone. */
  delete(key: string): Promise<void>;
  /** A path ffmpeg/ffprobe can read directly, when the backend has one (disk). */
  localPath(key: string): string | null;
  close(): Promise<void>;
}

/** Keys are ours (ids and fixed suffixes); anything else is a bug, refused before it reaches a path or a bucket. */
export function assertKey(key: string): void {
  if (!/^[A-Za-z0-9_-]+(\/[A-Za-z0-9_.-]+)*$/.test(key) || key.includes('..')) throw new Error(`bad storage key ${JSON.stringify(key)}`);
}
