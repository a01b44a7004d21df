/**
 * Export of my data (J7): a person asks for an export; a background job builds a zip of
 * JSON (profile, the chats they are in, their messages, their reactions — the schemas in
 * protocol/src/export.ts) plus the files they uploaded and the pictures of the custom emoji
 * their messages and reactions name, under DATA_DIR/exports. The answer
 * to the request carries the download link (its token is stored hashed, shown once); it
 * works without a session once the archive is ready, until EXPORT_LINK_TTL_HOURS after.
 */

import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { type DataExport, type DataExportList, EXPORT_FORMAT } from '@parley/protocol';
import type { Kysely } from 'kysely';
import yazl from 'yazl';
import type { Actor } from '../../access/actor.js';
import { assertNotBot } from '../../access/bot-access.js';
import { now, toIso } from '../../clock.js';
import { AppError, notFound } from '../../errors.js';
import type { FileStorage } from '../../files/file-storage.js';
import { newId } from '../../ids.js';
import type { Database } from '../../storage/schema.js';
import { hashToken } from '../auth/tokens.js';
import type { JobQueue } from '../jobs/job-queue.js';
import { type ExportRow, exportRepo } from './export.repo.js';

export const EXPORT_JOB = 'export.build';
export const EXPORT_DOWNLOAD_PATH = '/api/v1/exports/';

/** A file name safe inside a zip: no directories, nothing hidden. */
const safeName = (name: string) =>
  [...name]
    .map((c) => (c === '/' || c === '\\' || (c.codePointAt(0) ?? 0) < 0x20 ? '_' : c))
    .join('')
    .replace(/^\.+/, '_')
    .slice(0, 120) || 'file';

const EMOJI_CODE = /:([a-z0-9_-]{2,30}):/g;

/** Every `:short_name:` the texts name (custom emoji, E19), each once. */
function emojiNamesIn(texts: Iterable<string>): string[] {
  const names = new Set<string>();
  for (const text of texts) for (const match of text.matchAll(EMOJI_CODE)) if (match[1]) names.add(match[1]);
  return [...names];
}

export type ExportService = ReturnType<typeof createExportService>;

export function createExportService(
  db: Kysely<Database>,
  deps: { jobs: JobQueue; files: FileStorage; dataDir: string; linkTtlHours: number },
) {
  const repo = exportRepo(db);
  const dir = path.join(deps.dataDir, 'exports');
  const zipPath = (id: string) => path.join(dir, `${id}.zip`);

  const present = (row: ExportRow, token: string | null = null): DataExport => ({
    id: row.id,
    status: row.status,
    createdAt: toIso(Number(row.created_at)),
    downloadUrl: token ? `${EXPORT_DOWNLOAD_PATH}${token}` : null,
    expiresAt: row.expires_at === null ? null : toIso(Number(row.expires_at)),
    size: row.size === null ? null : Number(row.size),
  });

  /** Builds the archive of one person's data; returns its size. */
  async function build(userId: string, target: string): Promise<number> {
    const profile = await repo.profile(userId);
    if (!profile) throw new Error(`no user ${userId}`);
    const [chats, messages, reactions, files] = await Promise.all([
      repo.chats(userId),
      repo.messages(userId),
      repo.reactions(userId),
      repo.files(userId),
    ]);
    const attachments = await repo.attachmentsOf(messages.map((m) => m.id));
    const zip = new yazl.ZipFile();
    const json = (name: string, value: unknown) => zip.addBuffer(Buffer.from(`${JSON.stringify(value, null, 2)}\n`), name);
    json('profile.json', {
      id: profile.id,
      username: profile.username,
      displayName: profile.display_name,
      email: profile.email ?? '',
      statusText: profile.status_text,
      bio: profile.bio,
      createdAt: toIso(Number(profile.created_at)),
    });
    json(
      'chats.json',
      chats.map((c) => ({ id: c.id, kind: c.kind, name: c.name, role: c.role, joinedAt: toIso(Number(c.joined_at)) })),
    );
    json(
      'messages.json',
      messages.map((m) => ({
        id: m.id,
        chatId: m.chat_id,
        seq: Number(m.seq),
        text: m.deleted_at === null ? m.text : '',
        createdAt: toIso(Number(m.created_at)),
        editedAt: m.edited_at === null ? null : toIso(Number(m.edited_at)),
        deleted: m.deleted_at !== null,
        replyTo: m.reply_to_id,
        privateTo: m.private_to,
        attachments: attachments.filter((a) => a.message_id === m.id).map((a) => a.file_id),
      })),
    );
    json(
      'reactions.json',
      reactions.map((r) => ({ messageId: r.message_id, chatId: r.chat_id, emoji: r.emoji, createdAt: toIso(Number(r.created_at)) })),
    );
    const listed: Array<{ id: string; name: string; size: number; path: string }> = [];
    for (const file of files) {
      const body = await deps.files.get(file.storage_key);
      if (!body) continue;
      const entry = `files/${file.id}-${safeName(file.name)}`;
      zip.addReadStream(body, entry);
      listed.push({ id: file.id, name: file.name, size: Number(file.size), path: entry });
    }
    // The server's own emoji are its files, not the person's: only those their words use go in.
    const used = emojiNamesIn([...messages.filter((m) => m.deleted_at === null).map((m) => m.text), ...reactions.map((r) => r.emoji)]);
    const emoji: Array<{ shortName: string; animated: boolean; path: string }> = [];
    for (const row of await repo.customEmoji(used)) {
      const body = await deps.files.get(row.image_key);
      if (!body) continue;
      const entry = `emoji/${row.short_name}.webp`;
      zip.addReadStream(body, entry);
      emoji.push({ shortName: row.short_name, animated: row.animated === 1, path: entry });
    }
    json('manifest.json', {
      format: EXPORT_FORMAT,
      createdAt: toIso(now()),
      userId,
      counts: { chats: chats.length, messages: messages.length, reactions: reactions.length, files: listed.length },
      files: listed,
      emoji,
    });
    zip.end();
    await fs.mkdir(path.dirname(target), { recursive: true });
    await pipeline(zip.outputStream, createWriteStream(target));
    return (await fs.stat(target)).size;
  }

  return {
    async request(actor: Actor): Promise<DataExport> {
      assertNotBot(actor, 'export data');
      const token = randomBytes(32).toString('base64url');
      const row: ExportRow = {
        id: newId(),
        user_id: actor.userId,
        status: 'pending',
        token_hash: hashToken(token),
        path: null,
        size: null,
        error: null,
        created_at: now(),
        ready_at: null,
        expires_at: null,
      };
      // The job exists exactly when the request does.
      await db.transaction().execute(async (trx) => {
        await exportRepo(trx).insert(row);
        await deps.jobs.enqueue(EXPORT_JOB, { exportId: row.id }, { db: trx, uniqueKey: `${EXPORT_JOB}:${actor.userId}` });
      });
      return present(row, token);
    },

    async list(actor: Actor): Promise<DataExportList> {
      return { items: (await repo.ofUser(actor.userId)).map((row) => present(row)) };
    },

    /** The archive behind a download link, while the link lasts. */
    async download(token: string): Promise<{ path: string; size: number; createdAt: number }> {
      const row = await repo.byTokenHash(hashToken(token));
      if (!row || row.status === 'failed') throw notFound('export_not_found', 'Export');
      if (row.status === 'pending' || !row.path) throw new AppError('file_not_ready', 'The export is still being built; try again shortly');
      if (row.expires_at !== null && Number(row.expires_at) < now()) throw notFound('export_not_found', 'Export');
      const stat = await fs.stat(row.path).catch(() => null);
      if (!stat) throw notFound('export_not_found', 'Export');
      return { path: row.path, size: stat.size, createdAt: Number(row.created_at) };
    },

    registerJobs() {
      deps.jobs.handle(
        EXPORT_JOB,
        async (payload) => {
          const { exportId } = payload as { exportId: string };
          const row = await repo.byId(exportId);
          if (row?.status !== 'pending') return;
          const target = zipPath(row.id);
          const size = await build(row.user_id, target);
          const at = now();
          await repo.update(row.id, { status: 'ready', path: target, size, ready_at: at, expires_at: at + deps.linkTtlHours * 3_600_000 });
        },
        { maxAttempts: 3 },
      );
    },
  };
}
