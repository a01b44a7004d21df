/**
 * Custom emoji (E19): images under a `:short_name:`, usable in text and as reactions. An
 * emoji is made from a finished upload of the actor's (the attachments pipeline already
 * judged it an image by its bytes, through file-type and sharp): sharp resizes it to at
 * most 128 px a side as WebP (animation kept), it is stored through the file storage port
 * and the upload is removed. Every change is one `emoji.updated` to everyone signed in
 * (an ephemeral event: apps load the list on each connect, so one missed offline is not lost).
 */
import type { CreateEmojiBody, CustomEmoji, CustomEmojiList, EmojiUpdated, RenameEmojiBody } from '@parley/protocol';
import { CUSTOM_EMOJI_PATTERN } from '@parley/protocol';
import type { Kysely } from 'kysely';
import sharp from 'sharp';
import type { Actor } from '../../access/actor.js';
import { assertCanAddEmoji, assertCanManageEmoji, mayAddEmoji, mayManageEmoji, serverRoleOf } from '../../access/emoji-access.js';
import type { RateLimits } from '../../access/rate-limits.js';
import { now, toIso } from '../../clock.js';
import { AppError, notFound } from '../../errors.js';
import type { FileStorage } from '../../files/index.js';
import { newId } from '../../ids.js';
import type { EphemeralEvent } from '../../realtime/bus.js';
import type { Database } from '../../storage/schema.js';
import { isUniqueViolation } from '../../storage/unique-violation.js';
import type { AttachmentsService, ServedFile } from '../attachments/attachments.service.js';
import { MAX_IMAGE_PIXELS } from '../attachments/media-tools.js';
import { type CustomEmojiRow, customEmojiRepo } from './custom-emoji.repo.js';

export const EMOJI_SIDE = 128;
/** The largest picture an emoji is made from. */
export const EMOJI_SOURCE_MAX_BYTES = 5 * 1024 * 1024;

export interface CustomEmojiDeps {
  db: Kysely<Database>;
  files: FileStorage;
  attachments: Pick<AttachmentsService, 'ownUpload' | 'cancelUpload'>;
  limits: RateLimits;
  /** The server setting: who may add emoji. */
  uploads: () => Promise<'admins' | 'everyone'>;
  publish: (event: EphemeralEvent) => void;
}

export type CustomEmojiService = ReturnType<typeof createCustomEmojiService>;

export const presentEmoji = (row: CustomEmojiRow): CustomEmoji => ({
  id: row.id,
  shortName: row.short_name,
  animated: row.animated === 1,
  createdBy: row.created_by,
  createdAt: toIso(row.created_at),
});

const nameTaken = (shortName: string) =>
  new AppError('emoji_name_taken', `:${shortName}: is already an emoji on this server`, {
    location: 'body',
    field: 'shortName',
    rule: 'unique',
  });

const imageKey = (id: string) => `custom-emoji/${id}.webp`;

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export function createCustomEmojiService(deps: CustomEmojiDeps) {
  const { db, files } = deps;
  const repo = customEmojiRepo(db);

  function announce(data: EmojiUpdated) {
    deps.publish({ kind: 'ephemeral', name: 'emoji.updated', chatId: null, userIds: null, everyone: true, exceptUserId: null, data });
  }

  async function existing(id: string): Promise<CustomEmojiRow> {
    const row = await repo.byId(id);
    if (!row) throw notFound('emoji_not_found', 'Emoji');
    return row;
  }

  /** The upload as an emoji image: WebP, at most EMOJI_SIDE a side, animation kept. */
  async function emojiImage(actor: Actor, fileId: string): Promise<{ webp: Buffer; animated: boolean }> {
    const file = await deps.attachments.ownUpload(actor.userId, fileId);
    if (file.state !== 'ready') throw new AppError('file_not_ready', 'The upload has not finished yet');
    if (file.kind !== 'image' || !file.mime)
      throw new AppError('validation_failed', 'An emoji must be an image (PNG, GIF, WebP, JPEG or AVIF)', {
        location: 'body',
        field: 'fileId',
        rule: 'image',
      });
    if (file.size > EMOJI_SOURCE_MAX_BYTES)
      throw new AppError('upload_too_large', `An emoji is made from a picture of at most ${EMOJI_SOURCE_MAX_BYTES} bytes`, {
        maxBytes: EMOJI_SOURCE_MAX_BYTES,
      });
    const stream = await files.get(file.storage_key);
    if (!stream) throw notFound('file_not_found', 'File');
    const source = await readAll(stream);
    const animated = file.animated === 1;
    const { data } = await sharp(source, { animated, limitInputPixels: MAX_IMAGE_PIXELS })
      .resize(EMOJI_SIDE, EMOJI_SIDE, { fit: 'inside', withoutEnlargement: true })
      .webp({ quality: 90 })
      .toBuffer({ resolveWithObject: true });
    return { webp: data, animated };
  }

  return {
    /** Every custom emoji (anyone signed in), with what the actor may do with them. */
    async list(actor: Actor): Promise<CustomEmojiList> {
      const role = await serverRoleOf(db, actor);
      const [rows, uploads] = await Promise.all([repo.all(), deps.uploads()]);
      return { items: rows.map(presentEmoji), canAdd: mayAddEmoji(role, uploads), canManage: mayManageEmoji(role) };
    },

    async create(actor: Actor, body: CreateEmojiBody): Promise<CustomEmoji> {
      assertCanAddEmoji(await serverRoleOf(db, actor), await deps.uploads());
      await deps.limits.consume('action', actor.userId);
      if (await repo.byShortName(body.shortName)) throw nameTaken(body.shortName);
      const image = await emojiImage(actor, body.fileId);
      const at = now();
      const row: CustomEmojiRow = {
        id: newId(),
        short_name: body.shortName,
        image_key: imageKey(newId()),
        animated: image.animated ? 1 : 0,
        created_by: actor.userId,
        created_at: at,
        updated_at: at,
      };
      await files.put(row.image_key, image.webp, 'image/webp');
      try {
        await repo.insert(row);
      } catch (error) {
        await files.delete(row.image_key);
        if (isUniqueViolation(error, 'short_name')) throw nameTaken(body.shortName);
        throw error;
      }
      // The picture lives on as the emoji; the upload it came from is not kept.
      await deps.attachments.cancelUpload(body.fileId, actor.userId);
      const emoji = presentEmoji(row);
      announce({ id: row.id, emoji });
      return emoji;
    },

    /** Admins: a new short name; reactions given with the old one follow it. */
    async rename(actor: Actor, emojiId: string, body: RenameEmojiBody): Promise<CustomEmoji> {
      assertCanManageEmoji(await serverRoleOf(db, actor));
      const before = await existing(emojiId);
      if (before.short_name === body.shortName) return presentEmoji(before);
      await deps.limits.consume('action', actor.userId);
      let renamed: CustomEmojiRow | undefined;
      try {
        renamed = await db.transaction().execute(async (trx) => {
          const row = await customEmojiRepo(trx).rename(emojiId, body.shortName, now());
          await customEmojiRepo(trx).renameReactions(`:${before.short_name}:`, `:${body.shortName}:`);
          return row;
        });
      } catch (error) {
        if (isUniqueViolation(error, 'short_name')) throw nameTaken(body.shortName);
        throw error;
      }
      if (!renamed) throw notFound('emoji_not_found', 'Emoji');
      const emoji = presentEmoji(renamed);
      announce({ id: emojiId, emoji, previousShortName: before.short_name });
      return emoji;
    },

    /** Admins: the emoji goes; reactions and text that named it show `:short_name:` as written. */
    async delete(actor: Actor, emojiId: string): Promise<void> {
      assertCanManageEmoji(await serverRoleOf(db, actor));
      const row = await existing(emojiId);
      await deps.limits.consume('action', actor.userId);
      await repo.remove(emojiId);
      await files.delete(row.image_key);
      announce({ id: emojiId, emoji: null });
    },

    /** The image, to anyone signed in; an emoji's picture never changes, so it may be cached for good. */
    async image(_actor: Actor, emojiId: string): Promise<ServedFile> {
      const row = await existing(emojiId);
      const [stat, body] = await Promise.all([files.stat(row.image_key), files.get(row.image_key)]);
      if (!stat || !body) throw notFound('emoji_not_found', 'Emoji image');
      return {
        body,
        status: 200,
        headers: {
          'content-type': 'image/webp',
          'content-length': String(stat.size),
          'content-disposition': `inline; filename="${row.short_name}.webp"`,
          'content-security-policy': "sandbox; default-src 'none'",
          'x-content-type-options': 'nosniff',
          'cross-origin-resource-policy': 'same-origin',
          'cache-control': 'private, max-age=31536000, immutable',
        },
      };
    },

    /** For reactions: `:name:` must be one of ours (a standard emoji passes untouched). */
    async assertKnown(emoji: string): Promise<void> {
      const name = CUSTOM_EMOJI_PATTERN.exec(emoji)?.[1];
      if (name === undefined) return;
      if (await repo.byShortName(name)) return;
      throw new AppError('emoji_not_found', `${emoji} is not an emoji on this server`, {
        location: 'body',
        field: 'emoji',
        rule: 'customEmoji',
      });
    },
  };
}
