/**
 * File storage in an S3-compatible bucket (AWS S3, MinIO, Garage, Ceph…): one object per
 * key under S3_PREFIX. Streams are written as multipart uploads in parts of PART_SIZE, so
 * at most one part is in memory per write whatever the file's size; a body smaller than a
 * part is one PutObject.
 */
import { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { assertKey, type ByteRange, type FileStorage } from './file-storage.js';

/** S3 wants parts of at least 5 MiB (but the last); 8 MiB keeps a 100 MB file under 13 parts. */
const PART_SIZE = 8 * 1024 * 1024;

export interface S3StorageOptions {
  bucket: string;
  region: string;
  endpoint?: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  forcePathStyle: boolean;
  prefix: string;
}

const isMissing = (error: unknown) => {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e.name === 'NoSuchKey' || e.name === 'NotFound' || e.$metadata?.httpStatusCode === 404;
};

/** Reads a stream in pieces of exactly `size` bytes (the last may be shorter). */
async function* inParts(body: Readable, size: number): AsyncGenerator<Buffer> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  for await (const chunk of body) {
    let buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
    while (pendingBytes + buffer.length >= size) {
      const take = size - pendingBytes;
      pending.push(buffer.subarray(0, take));
      yield Buffer.concat(pending);
      pending = [];
      pendingBytes = 0;
      buffer = buffer.subarray(take);
    }
    if (buffer.length > 0) {
      pending.push(buffer);
      pendingBytes += buffer.length;
    }
  }
  if (pendingBytes > 0 || pending.length > 0) yield Buffer.concat(pending);
}

export function createS3Storage(options: S3StorageOptions): FileStorage {
  const client = new S3Client({
    region: options.region,
    forcePathStyle: options.forcePathStyle,
    ...(options.endpoint && { endpoint: options.endpoint }),
    ...(options.accessKeyId &&
      options.secretAccessKey && { credentials: { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey } }),
    // Checksums on every request are what AWS defaults to now; many S3-compatible servers refuse them.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  const Bucket = options.bucket;
  const keyOf = (key: string) => {
    assertKey(key);
    return `${options.prefix}${key}`;
  };

  async function putMultipart(Key: string, first: Buffer, rest: AsyncGenerator<Buffer>, ContentType?: string) {
    const { UploadId } = await client.send(new CreateMultipartUploadCommand({ Bucket, Key, ...(ContentType && { ContentType }) }));
    const parts: { ETag: string; PartNumber: number }[] = [];
    let size = 0;
    try {
      let part: Buffer | undefined = first;
      while (part) {
        const PartNumber = parts.length + 1;
        const { ETag } = await client.send(
          new UploadPartCommand({ Bucket, Key, UploadId, PartNumber, Body: part, ContentLength: part.length }),
        );
        parts.push({ ETag: ETag ?? '', PartNumber });
        size += part.length;
        const next = await rest.next();
        part = next.done ? undefined : next.value;
      }
      await client.send(new CompleteMultipartUploadCommand({ Bucket, Key, UploadId, MultipartUpload: { Parts: parts } }));
      return size;
    } catch (error) {
      await client.send(new AbortMultipartUploadCommand({ Bucket, Key, UploadId })).catch(() => undefined);
      throw error;
    }
  }

  return {
    backend: 's3',
    async put(key, body, contentType) {
      const Key = keyOf(key);
      const typed = contentType ? { ContentType: contentType } : {};
      if (Buffer.isBuffer(body)) {
        await client.send(new PutObjectCommand({ Bucket, Key, Body: body, ContentLength: body.length, ...typed }));
        return { size: body.length };
      }
      const parts = inParts(body, PART_SIZE);
      const first = await parts.next();
      const firstPart = first.done ? Buffer.alloc(0) : first.value;
      const second = await parts.next();
      if (second.done) {
        await client.send(new PutObjectCommand({ Bucket, Key, Body: firstPart, ContentLength: firstPart.length, ...typed }));
        return { size: firstPart.length };
      }
      async function* restFrom(head: Buffer): AsyncGenerator<Buffer> {
        yield head;
        yield* parts;
      }
      return { size: await putMultipart(Key, firstPart, restFrom(second.value), contentType) };
    },
    async get(key, range?: ByteRange) {
      try {
        const out = await client.send(
          new GetObjectCommand({ Bucket, Key: keyOf(key), ...(range && { Range: `bytes=${range.start}-${range.end}` }) }),
        );
        return out.Body instanceof Readable ? out.Body : null;
      } catch (error) {
        if (isMissing(error)) return null;
        throw error;
      }
    },
    async stat(key) {
      try {
        const head = await client.send(new HeadObjectCommand({ Bucket, Key: keyOf(key) }));
        return { size: Number(head.ContentLength ?? 0) };
      } catch (error) {
        if (isMissing(error)) return null;
        throw error;
      }
    },
    async delete(key) {
      await client.send(new DeleteObjectCommand({ Bucket, Key: keyOf(key) }));
    },
    localPath: () => null,
    async close() {
      client.destroy();
    },
  };
}
