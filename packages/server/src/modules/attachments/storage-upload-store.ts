/**
 * A tus data store for several instances: the bytes of an upload in progress are kept in
 * the file storage (the S3 bucket the instances share) as parts, and which part holds which
 * bytes is a row of `upload_parts` in the shared database — so a HEAD or PATCH may reach
 * any instance and go on from the offset the others left. Not @tus/s3-store: it asks the
 * bucket for the offset with ListParts, which not every S3-compatible server implements
 * (s3rver 3.7, the tests' server, does not).
 *
 * A PATCH is read in parts of PART_SIZE (one part in memory per upload at a time); each part
 * is stored, then committed by inserting its row. Only one row may begin at an offset (the
 * primary key), so two instances writing the same bytes at once cannot both commit: the
 * loser deletes its object and answers 409, and the client asks for the offset again. When
 * a connection breaks, the bytes that arrived are kept as a last, shorter part.
 *
 * On the last byte the parts are joined into a local temporary file, which the attachments
 * service hashes, judges and copies into storage as for any upload; then the parts go.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DataStore, ERRORS, Upload } from '@tus/server';
import type { Kysely } from 'kysely';
import type { FileStorage } from '../../files/index.js';
import type { Database } from '../../storage/schema.js';

/** Like the S3 backend's multipart parts: a 100 MB upload is 13 of them. */
const PART_SIZE = 8 * 1024 * 1024;

const partKey = (uploadId: string, start: number) => `u/${uploadId}/${start}-${randomBytes(4).toString('hex')}`;

export function uploadPartsRepo(db: Kysely<Database>) {
  return {
    /** Inserts the part's row unless a part already begins there; true if it was added. */
    async commit(uploadId: string, start: number, size: number, storageKey: string): Promise<boolean> {
      const result = await db
        .insertInto('upload_parts')
        .values({ upload_id: uploadId, start_offset: start, size, storage_key: storageKey })
        .onConflict((oc) => oc.columns(['upload_id', 'start_offset']).doNothing())
        .executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
    },
    parts: (uploadId: string) =>
      db.selectFrom('upload_parts').selectAll().where('upload_id', '=', uploadId).orderBy('start_offset').execute(),
    async offset(uploadId: string): Promise<number> {
      const row = await db
        .selectFrom('upload_parts')
        .select((eb) => eb.fn.sum<number | string | null>('size').as('total'))
        .where('upload_id', '=', uploadId)
        .executeTakeFirst();
      return Number(row?.total ?? 0);
    },
    removeAll: (uploadId: string) => db.deleteFrom('upload_parts').where('upload_id', '=', uploadId).execute(),
    uploading: (uploadId: string) =>
      db
        .selectFrom('files')
        .select(['id', 'size', 'created_at'])
        .where('id', '=', uploadId)
        .where('state', '=', 'uploading')
        .executeTakeFirst(),
  };
}

export class StorageUploadStore extends DataStore {
  private readonly repo: ReturnType<typeof uploadPartsRepo>;

  constructor(
    db: Kysely<Database>,
    private readonly storage: FileStorage,
    /** Where the parts are joined on the last byte (local to the instance that got it). */
    private readonly assemblyDir: string,
  ) {
    super();
    this.extensions = ['creation', 'creation-with-upload', 'termination'];
    this.repo = uploadPartsRepo(db);
    fs.mkdirSync(assemblyDir, { recursive: true });
  }

  /** The row was made by onUploadCreate (with the quota check); nothing is stored yet. */
  override async create(upload: Upload): Promise<Upload> {
    return upload;
  }

  override async getUpload(id: string): Promise<Upload> {
    const row = await this.repo.uploading(id);
    if (!row) throw ERRORS.FILE_NOT_FOUND;
    return new Upload({
      id,
      size: Number(row.size),
      offset: await this.repo.offset(id),
      creation_date: new Date(Number(row.created_at)).toISOString(),
    });
  }

  override async write(stream: Readable, id: string, offset: number): Promise<number> {
    let start = offset;
    let lost = false;
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    const flush = async () => {
      if (pendingBytes === 0 || lost) return;
      const body = Buffer.concat(pending, pendingBytes);
      pending = [];
      pendingBytes = 0;
      if (await this.storePart(id, start, body)) start += body.length;
      else lost = true;
    };
    for await (const chunk of stream) {
      // Once another instance has these bytes, the rest of the body is read and dropped:
      // failing mid-stream would reach the client as tus's 400 "aborted", not a 409 it retries.
      if (lost) continue;
      const buffer = chunk as Buffer;
      pending.push(buffer);
      pendingBytes += buffer.length;
      if (pendingBytes >= PART_SIZE) await flush();
    }
    // The stream also ends early when the connection breaks: what arrived is kept.
    await flush();
    if (lost) throw ERRORS.INVALID_OFFSET;
    return start;
  }

  /** Stores the part and commits it; false (and its object deleted) when another instance committed bytes at `start` first. */
  private async storePart(id: string, start: number, body: Buffer): Promise<boolean> {
    const key = partKey(id, start);
    await this.storage.put(key, body);
    if (await this.repo.commit(id, start, body.length, key)) return true;
    await this.storage.delete(key);
    return false;
  }

  override async remove(id: string): Promise<void> {
    await this.discardParts(id);
  }

  override async declareUploadLength(): Promise<void> {
    throw ERRORS.UNSUPPORTED_CREATION_DEFER_LENGTH_EXTENSION;
  }

  /** The whole upload in a local file (for hashing, sniffing, sharp and ffprobe); the caller removes it. */
  async assemble(id: string): Promise<string> {
    const file = path.join(this.assemblyDir, `${id}-${randomBytes(4).toString('hex')}`);
    const out = fs.createWriteStream(file);
    try {
      for (const part of await this.repo.parts(id)) {
        const body = await this.storage.get(part.storage_key);
        if (!body) throw new Error(`upload ${id} lost its part at ${part.start_offset}`);
        await pipeline(body, out, { end: false });
      }
    } finally {
      await new Promise<void>((resolve) => out.end(() => resolve()));
    }
    return file;
  }

  /** Every stored part of the upload, and their rows. */
  async discardParts(id: string): Promise<void> {
    for (const part of await this.repo.parts(id)) await this.storage.delete(part.storage_key);
    await this.repo.removeAll(id);
  }
}
