/**
 * Attachments (F1–F5): uploads from creation to a stored, typed file; who may fetch a file
 * and how it is served; the files of messages (attach, present, release on delete); the
 * chat gallery; thumbnails and reclaiming through background jobs.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { GalleryPage, GalleryQuery, UploadedFile, UploadPurpose } from '@parley/protocol';
import { MESSAGE_MAX_ATTACHMENTS } from '@parley/protocol';
import { FileStore } from '@tus/file-store';
import type { DataStore } from '@tus/server';
import type { Kysely } from 'kysely';
import type { Actor } from '../../access/actor.js';
import { requireMember } from '../../access/chat-access.js';
import { requireFileAccess } from '../../access/file-access.js';
import { now, toIso } from '../../clock.js';
import { AppError, notFound } from '../../errors.js';
import type { ByteRange, FileStorage } from '../../files/index.js';
import type { Database } from '../../storage/schema.js';
import type { JobQueue } from '../jobs/job-queue.js';
import { presentAttachment, presentUploadedFile } from './attachments.present.js';
import { attachmentsRepo, type FileRow } from './attachments.repo.js';
import { CLEANED_IMAGES, detectContent, SNIFF_BYTES } from './content-type.js';
import { imageFacts, posterFrame, probeMedia, voiceWaveform } from './media-tools.js';
import { StorageUploadStore, uploadPartsRepo } from './storage-upload-store.js';
import { makeThumbnails, storageKeys, thumbnailSizes } from './thumbnails.js';

export type AttachmentsService = ReturnType<typeof createAttachmentsService>;

export interface AttachmentsOptions {
  maxUploadBytes: number;
  /** The admin console's upload limit (issue 15), at most `maxUploadBytes`; read at each upload. */
  currentUploadLimit?: () => Promise<number>;
  quotaBytes: number;
  reclaimGraceMs: number;
  /** UPLOAD_ABANDONED_HOURS: an upload left unfinished, or finished and never used, this long is removed. */
  abandonedAfterMs: number;
  /** DATA_DIR: tus stages uploads in progress under DATA_DIR/uploads. */
  dataDir: string;
}

export const CLEANUP_JOB = 'attachments.cleanup';
const HOUR_MS = 3_600_000;
const CLEANUP_BATCH = 500;

export interface NewUpload {
  id: string;
  ownerId: string;
  size: number | undefined;
  metadata: Record<string, string | null | undefined>;
}

/** A file to send to the browser: the bytes and how to label them. */
export interface ServedFile {
  body: Readable;
  status: 200 | 206;
  headers: Record<string, string>;
}

const URL_PATTERN = /https?:\/\/[^\s<>"')\]]+/g;

const tooLarge = (max: number) =>
  new AppError('upload_too_large', `A file may be at most ${max} bytes (UPLOAD_MAX_BYTES)`, { maxBytes: max });

/** `Content-Disposition` with the name both as plain ASCII and RFC 5987 UTF-8. */
function disposition(kind: 'inline' | 'attachment', name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_') || 'file';
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

/** The uploader's name for the file, without control characters or path separators. */
function safeFileName(name: string): string {
  const cleaned = [...name].map((c) => (c.charCodeAt(0) < 0x20 || c === '\u007f' || c === '/' || c === '\\' ? '_' : c)).join('');
  return cleaned.slice(0, 255) || 'file';
}

/** Sandboxed: even a file a browser renders cannot run script or load anything. */
const FILE_CSP = "sandbox; default-src 'none'; img-src 'self'; media-src 'self'; style-src 'unsafe-inline'";

export function createAttachmentsService(db: Kysely<Database>, storage: FileStorage, jobs: JobQueue, options: AttachmentsOptions) {
  const repo = attachmentsRepo(db);
  const parts = uploadPartsRepo(db);
  const stagingDir = path.resolve(options.dataDir, 'uploads');
  /**
   * Where tus keeps uploads in progress: with S3 (what several instances share) as parts in
   * the bucket with their offsets in the database, so any instance can go on with any
   * upload (storage-upload-store.ts); on disk, staged under DATA_DIR/uploads by @tus/file-store.
   */
  const sharedUploads = storage.backend === 's3' ? new StorageUploadStore(db, storage, path.join(stagingDir, 'assembly')) : null;
  const tusDatastore: DataStore = sharedUploads ?? new FileStore({ directory: stagingDir });
  const enqueueCleanup = (slot: number) => jobs.enqueue(CLEANUP_JOB, {}, { runAt: slot * HOUR_MS, uniqueKey: `${CLEANUP_JOB}:${slot}` });

  /** An upload's staged bytes and tus's record of it (@tus/file-store: `<id>` and `<id>.json`). */
  const removeStaged = (id: string) =>
    Promise.all([
      fs.promises.rm(path.join(stagingDir, id), { force: true }),
      fs.promises.rm(path.join(stagingDir, `${id}.json`), { force: true }),
    ]);

  /** Staged files older than `before` whose upload is not in progress (its row is gone or was never made). */
  async function sweepStaging(before: number): Promise<number> {
    const names = await fs.promises.readdir(stagingDir).catch(() => [] as string[]);
    const stale: string[] = [];
    for (const name of names) {
      const stat = await fs.promises.stat(path.join(stagingDir, name)).catch(() => null);
      if (stat?.isFile() && stat.mtimeMs < before) stale.push(name.replace(/\.json$/, ''));
    }
    const ids = [...new Set(stale)];
    const wanted = await repo.uploadingAmong(ids);
    const orphans = ids.filter((id) => !wanted.has(id));
    for (const id of orphans) await removeStaged(id);
    return orphans.length;
  }

  async function visibleFile(actor: Actor, fileId: string): Promise<FileRow> {
    const file = await repo.findFile(fileId);
    await requireFileAccess(repo, actor, file);
    return file as FileRow;
  }

  function serve(body: Readable, file: FileRow, mime: string, inline: boolean, range: ByteRange | null, size: number, download: boolean) {
    const headers: Record<string, string> = {
      'content-type': inline ? mime : file.inline === 1 ? mime : 'application/octet-stream',
      'content-disposition': disposition(inline && !download ? 'inline' : 'attachment', file.name),
      'content-security-policy': FILE_CSP,
      'x-content-type-options': 'nosniff',
      'accept-ranges': 'bytes',
      'cross-origin-resource-policy': 'same-origin',
    };
    if (range) {
      headers['content-range'] = `bytes ${range.start}-${range.end}/${size}`;
      headers['content-length'] = String(range.end - range.start + 1);
      return { body, status: 206 as const, headers };
    }
    headers['content-length'] = String(size);
    return { body, status: 200 as const, headers };
  }

  /** The stored bytes a fetch of the file itself gets: images only once cleaned of their metadata. */
  function servedKey(file: FileRow): string {
    if (file.kind === 'image' && file.mime && CLEANED_IMAGES.has(file.mime)) {
      if (file.thumbnails !== 'ready') throw new AppError('file_not_ready', 'The image is still being processed; try again shortly');
      return storageKeys.clean(file.id);
    }
    return file.storage_key;
  }

  const service = {
    options,
    stagingDir,
    tusDatastore,

    /** tus has the last byte: the upload becomes a stored file (finishUpload), and what held it in progress goes. */
    async completeUpload(id: string): Promise<void> {
      if (!sharedUploads) {
        try {
          await service.finishUpload(id, path.join(stagingDir, id));
        } finally {
          await removeStaged(id);
        }
        return;
      }
      const assembled = await sharedUploads.assemble(id);
      // The parts go first: finishing may delete the row (an avatar that is no image), and their rows with it.
      await sharedUploads.discardParts(id);
      try {
        await service.finishUpload(id, assembled);
      } finally {
        await fs.promises.rm(assembled, { force: true });
      }
    },

    // ─── uploads ────────────────────────────────────────────────────────────────

    /** tus creation: size and quota are checked before a byte is accepted; the row counts against the quota from now (atomically: see insertWithinQuota). */
    async createUpload(upload: NewUpload): Promise<void> {
      if (upload.size === undefined) {
        throw new AppError('validation_failed', 'Uploads must declare their length (Upload-Length)', {
          location: 'headers',
          field: 'upload-length',
          rule: 'required',
        });
      }
      const limit = (await options.currentUploadLimit?.()) ?? options.maxUploadBytes;
      if (upload.size > limit) throw tooLarge(limit);
      const purpose = (upload.metadata.purpose ?? 'attachment') as UploadPurpose;
      if (!['attachment', 'voice', 'avatar'].includes(purpose)) {
        throw new AppError('validation_failed', 'purpose must be attachment, voice or avatar', {
          location: 'headers',
          field: 'purpose',
          rule: 'enum',
        });
      }
      const durationMs = upload.metadata.durationMs;
      const waveform = upload.metadata.waveform;
      if (durationMs && !/^\d{1,9}$/.test(durationMs)) {
        throw new AppError('validation_failed', 'durationMs must be whole milliseconds', {
          location: 'headers',
          field: 'durationMs',
          rule: 'pattern',
        });
      }
      if (waveform && !/^[A-Za-z0-9+/=]{0,200}$/.test(waveform)) {
        throw new AppError('validation_failed', 'waveform must be base64 of at most 150 samples', {
          location: 'headers',
          field: 'waveform',
          rule: 'pattern',
        });
      }
      const name = safeFileName(upload.metadata.filename ?? '');
      const heldWhenRefused = await repo.insertWithinQuota(
        {
          id: upload.id,
          owner_id: upload.ownerId,
          purpose,
          name,
          size: upload.size,
          sha256: null,
          mime: null,
          kind: 'file',
          inline: 0,
          width: null,
          height: null,
          duration_ms: purpose === 'voice' && durationMs ? Number(durationMs) : null,
          placeholder: null,
          waveform: purpose === 'voice' && waveform ? waveform : null,
          animated: 0,
          thumbnails: 'none',
          storage_key: storageKeys.original(upload.id),
          state: 'uploading',
          linked: 0,
          created_at: now(),
          ready_at: null,
          released_at: null,
        },
        options.quotaBytes,
      );
      if (heldWhenRefused !== null) {
        throw new AppError('upload_quota_exceeded', 'Your files would exceed your storage quota; delete some messages with files first', {
          quotaBytes: options.quotaBytes,
          usedBytes: heldWhenRefused,
        });
      }
    },

    /** The upload of this owner, if it is theirs (404 otherwise, like a missing one). */
    async ownUpload(ownerId: string, id: string): Promise<FileRow> {
      const file = await repo.findFile(id);
      if (!file || file.owner_id !== ownerId || file.state === 'released') throw notFound('file_not_found', 'Upload');
      return file;
    },

    /**
     * The last byte arrived: one pass over the staged file hashes it and copies it into
     * file storage; then its type is judged from its first bytes, images and media are
     * measured, and thumbnails are queued.
     */
    async finishUpload(id: string, stagedPath: string): Promise<void> {
      const file = await repo.findFile(id);
      if (file?.state !== 'uploading') return;
      const hash = createHash('sha256');
      const head: Buffer[] = [];
      let headBytes = 0;
      const tap = new Transform({
        transform(chunk: Buffer, _encoding, done) {
          hash.update(chunk);
          if (headBytes < SNIFF_BYTES) {
            head.push(chunk.subarray(0, SNIFF_BYTES - headBytes));
            headBytes += Math.min(chunk.length, SNIFF_BYTES - headBytes);
          }
          done(null, chunk);
        },
      });
      const stored = storage.put(file.storage_key, tap);
      await Promise.all([pipeline(fs.createReadStream(stagedPath), tap), stored]);
      const detected = await detectContent(Buffer.concat(head));
      const facts: Partial<FileRow> = { kind: detected.kind, mime: detected.mime, inline: detected.inline ? 1 : 0 };
      if (detected.kind === 'image') {
        try {
          const image = await imageFacts(stagedPath);
          Object.assign(facts, {
            width: image.width,
            height: image.height,
            placeholder: image.placeholder,
            animated: image.animated ? 1 : 0,
          });
          facts.thumbnails = 'pending';
        } catch {
          // Not decodable after all (truncated, or a bomb over the pixel limit): a plain download.
          Object.assign(facts, { kind: 'file', inline: 0 });
        }
      } else if (detected.kind === 'video' || detected.kind === 'audio') {
        const media = await probeMedia(stagedPath);
        // WebM holds sound alone as often as video; only ffprobe can tell.
        if (media && !media.hasVideo) facts.kind = 'audio';
        if (media?.hasVideo) Object.assign(facts, { width: media.width, height: media.height, thumbnails: 'pending' });
        if (media?.durationMs && file.duration_ms === null) facts.duration_ms = media.durationMs;
        if (file.purpose === 'voice' && facts.kind === 'audio') facts.kind = 'voice';
        if (facts.kind === 'voice' && file.waveform === null) facts.waveform = await voiceWaveform(stagedPath);
        if (facts.kind === 'video' && media?.hasVideo) await storePoster(stagedPath, media.durationMs, id, facts);
      }
      if (file.purpose === 'avatar' && facts.kind !== 'image') {
        await storage.delete(file.storage_key);
        await repo.deleteFile(id);
        throw new AppError('validation_failed', 'An avatar must be an image (JPEG, PNG, GIF, WebP or AVIF)', {
          location: 'body',
          field: 'file',
          rule: 'image',
        });
      }
      await repo.updateFile(id, { ...facts, sha256: hash.digest('hex'), state: 'ready', ready_at: now() });
      if (facts.thumbnails === 'pending') await jobs.enqueue('attachments.thumbnails', { fileId: id }, { uniqueKey: `thumbnails:${id}` });
    },

    /** Cancelled (tus DELETE) or given up: an upload no message carries is removed with its bytes. */
    async cancelUpload(id: string, ownerId?: string): Promise<void> {
      const file = await repo.findFile(id);
      if (!file || file.linked === 1 || (ownerId !== undefined && file.owner_id !== ownerId)) return;
      if (file.purpose === 'avatar' && (await repo.isAvatar(id))) return;
      for (const key of storageKeys.all(file)) await storage.delete(key);
      await repo.deleteFile(id);
    },

    async uploadedFile(actor: Actor, fileId: string): Promise<UploadedFile> {
      return presentUploadedFile(await service.ownUpload(actor.userId, fileId));
    },

    // ─── fetching ───────────────────────────────────────────────────────────────

    /** The file itself, whole or a byte range. */
    async open(actor: Actor, fileId: string, request: { range: string | undefined; download: boolean }): Promise<ServedFile> {
      const file = await visibleFile(actor, fileId);
      const key = servedKey(file);
      const stat = await storage.stat(key);
      if (!stat) throw notFound('file_not_found', 'File');
      const range = request.range === undefined ? null : parseRange(request.range, stat.size);
      const body = await storage.get(key, range ?? undefined);
      if (!body) throw notFound('file_not_found', 'File');
      return serve(body, file, file.mime ?? 'application/octet-stream', file.inline === 1, range, stat.size, request.download);
    },

    /** A WebP thumbnail of an image or a video's poster frame. */
    async thumbnail(actor: Actor, fileId: string, size: number): Promise<ServedFile> {
      const file = await visibleFile(actor, fileId);
      if (!thumbnailSizes(file).includes(size)) throw notFound('file_not_found', 'Thumbnail');
      if (file.thumbnails === 'none' || file.thumbnails === 'failed') throw notFound('file_not_found', 'Thumbnail');
      if (file.thumbnails === 'pending') throw new AppError('file_not_ready', 'The thumbnail is still being made; try again shortly');
      const key = storageKeys.thumbnail(fileId, size);
      const [stat, body] = await Promise.all([storage.stat(key), storage.get(key)]);
      if (!stat || !body) throw notFound('file_not_found', 'Thumbnail');
      return serve(body, { ...file, name: `${fileId}-${size}.webp` }, 'image/webp', true, null, stat.size, false);
    },

    // ─── messages ───────────────────────────────────────────────────────────────

    /** The sender's own finished uploads, in the order given; anything else is not found. */
    async filesToAttach(actor: Actor, ids: string[]): Promise<FileRow[]> {
      if (ids.length > MESSAGE_MAX_ATTACHMENTS)
        throw new AppError('validation_failed', 'Too many attachments', { location: 'body', field: 'attachments', rule: 'maxItems' });
      const rows = await repo.ownReadyFiles(actor.userId, ids);
      const byId = new Map(rows.map((r) => [r.id, r]));
      return ids.map((id) => {
        const row = byId.get(id);
        if (row?.purpose === 'avatar') throw notFound('file_not_found', 'File');
        if (row) return row;
        throw notFound('file_not_found', 'File');
      });
    },

    /** Files of messages being forwarded: the forwarder sees them through the source message. */
    async filesOf(messageIds: string[]): Promise<Map<string, FileRow[]>> {
      const byMessage = new Map<string, FileRow[]>();
      if (messageIds.length === 0) return byMessage;
      for (const { message_id, position: _position, ...file } of await repo.attachmentsOf(messageIds)) {
        byMessage.set(message_id, [...(byMessage.get(message_id) ?? []), file]);
      }
      return byMessage;
    },

    /**
     * Inside the delete's transaction: the message lets go of its files; a file no other
     * message holds becomes unreachable now and its bytes go after the grace period.
     */
    async release(tx: Kysely<Database>, messageId: string): Promise<void> {
      const txRepo = attachmentsRepo(tx);
      const fileIds = await txRepo.unlinkMessage(messageId);
      for (const fileId of fileIds) {
        if ((await txRepo.linkCount(fileId)) > 0) continue;
        await txRepo.updateFile(fileId, { state: 'released', released_at: now() });
        await jobs.enqueue(
          'attachments.reclaim',
          { fileId },
          { db: tx, runAt: now() + options.reclaimGraceMs, uniqueKey: `reclaim:${fileId}` },
        );
      }
    },

    // ─── gallery ────────────────────────────────────────────────────────────────

    /** F3: one tab of a chat's gallery, newest first, paged by message seq. */
    async gallery(actor: Actor, chatId: string, query: GalleryQuery): Promise<GalleryPage> {
      await requireMember(db, actor, chatId);
      const limit = query.limit ?? 30;
      const before = query.before ?? null;
      if (query.tab === 'links') {
        const rows = await repo.linkMessages(chatId, actor.userId, before, limit + 1);
        const page = rows.slice(0, limit);
        return {
          items: page.map((m) => ({
            messageId: m.id,
            seq: Number(m.seq),
            senderId: m.sender_id,
            createdAt: toIso(m.created_at),
            attachment: null,
            links: [...new Set(m.text.match(URL_PATTERN) ?? [])],
            text: m.text.slice(0, 200),
          })),
          nextBefore: rows.length > limit ? Number(page[page.length - 1]?.seq) : null,
        };
      }
      // A page ends at a message boundary, so `before` never splits one message's files.
      const rows = await repo.galleryAttachments(chatId, actor.userId, query.tab, before, limit + MESSAGE_MAX_ATTACHMENTS);
      const page: typeof rows = [];
      let nextBefore: number | null = null;
      for (const row of rows) {
        if (page.length >= limit && Number(row.seq) !== Number(page[page.length - 1]?.seq)) {
          nextBefore = Number(page[page.length - 1]?.seq);
          break;
        }
        page.push(row);
      }
      return {
        items: page.map(({ message_id, seq, sender_id, sent_at, text, ...file }) => ({
          messageId: message_id,
          seq: Number(seq),
          senderId: sender_id,
          createdAt: toIso(sent_at),
          attachment: presentAttachment(file),
          links: [],
          text: text.slice(0, 200),
        })),
        nextBefore,
      };
    },

    // ─── background jobs ────────────────────────────────────────────────────────

    /**
     * Removes uploads older than UPLOAD_ABANDONED_HOURS that nothing will use — never
     * finished (with their staged bytes), or finished but never sent and nobody's avatar —
     * and staged files no upload in progress owns. Returns how many uploads and staged
     * files went. Run hourly by the `attachments.cleanup` job.
     */
    async sweepAbandoned(at = now()): Promise<number> {
      const before = at - options.abandonedAfterMs;
      let removed = 0;
      for (;;) {
        const rows = await repo.abandonedFiles(before, CLEANUP_BATCH);
        for (const file of rows) {
          const partKeys = (await parts.parts(file.id)).map((part) => part.storage_key);
          // The row goes first, and only if still abandoned: a file sent this very moment keeps its bytes.
          if (!(await repo.deleteAbandoned(file.id, before))) continue;
          for (const key of [...storageKeys.all(file), ...partKeys]) await storage.delete(key);
          await removeStaged(file.id);
          removed += 1;
        }
        if (rows.length < CLEANUP_BATCH) break;
      }
      return removed + (await sweepStaging(before));
    },

    registerJobs() {
      // One sweep per hour slot on one instance (unique key); each queues the next.
      jobs.handle(CLEANUP_JOB, async () => {
        await service.sweepAbandoned();
        await enqueueCleanup(Math.floor(now() / HOUR_MS) + 1);
      });
      // This hour's sweep (a no-op when another instance queued it); a failure only delays it to the next start.
      enqueueCleanup(Math.floor(now() / HOUR_MS)).catch(() => undefined);
      jobs.handle('attachments.thumbnails', async (payload) => {
        const { fileId } = payload as { fileId: string };
        const file = await repo.findFile(fileId);
        if (file?.state !== 'ready' || file.thumbnails !== 'pending') return;
        try {
          await makeThumbnails(storage, file);
          await repo.updateFile(fileId, { thumbnails: 'ready' });
        } catch (error) {
          // An image sharp cannot decode is kept as a plain file; other errors retry.
          if (error instanceof Error && /unsupported image format|Input buffer|pixel limit|corrupt/i.test(error.message)) {
            await repo.updateFile(fileId, { thumbnails: 'failed', kind: 'file', inline: 0 });
            return;
          }
          throw error;
        }
      });
      jobs.handle('attachments.reclaim', async (payload) => {
        const { fileId } = payload as { fileId: string };
        const file = await repo.findFile(fileId);
        if (!file) return;
        // Forwarded (or restored) in the meantime: someone holds it again.
        if (file.state !== 'released' || (await repo.linkCount(fileId)) > 0 || (await repo.isAvatar(fileId))) return;
        for (const key of storageKeys.all(file)) await storage.delete(key);
        await repo.deleteFile(fileId);
      });
    },
  };

  async function storePoster(stagedPath: string, durationMs: number | null, id: string, facts: Partial<FileRow>) {
    const poster = await posterFrame(stagedPath, Math.min(1000, Math.floor((durationMs ?? 0) / 2)));
    if (!poster) {
      facts.thumbnails = 'none';
      return;
    }
    await storage.put(storageKeys.poster(id), poster, 'image/png');
    const image = await imageFacts(poster);
    facts.placeholder = image.placeholder;
  }

  return service;
}

/** `bytes=a-b`, `bytes=a-`, `bytes=-n` (one range; several are answered whole, as HTTP allows). */
export function parseRange(header: string, size: number): ByteRange | null {
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match) return null;
  const [, from = '', to = ''] = match;
  let start: number;
  let end: number;
  if (from === '') {
    if (to === '') return null;
    start = Math.max(0, size - Number(to));
    end = size - 1;
  } else {
    start = Number(from);
    end = to === '' ? size - 1 : Math.min(Number(to), size - 1);
  }
  if (start > end || start >= size) {
    throw new AppError('range_not_satisfiable', `The file has ${size} bytes`, { size });
  }
  return { start, end };
}
