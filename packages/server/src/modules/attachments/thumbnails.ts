/**
 * Thumbnails, made by the `attachments.thumbnails` background job: WebP renditions of an
 * image (orientation applied, metadata dropped) in the sizes the app shows, or of a
 * video's poster frame; square crops of an avatar; and for JPEG/PNG/WebP/AVIF a full-size
 * copy without EXIF (GPS!) that is what fetching the image serves — the original upload
 * is never sent to anyone.
 */
import type { Readable } from 'node:stream';
import { AVATAR_SIZES, THUMBNAIL_SIZES } from '@parley/protocol';
import sharp, { type Sharp } from 'sharp';
import type { FileStorage } from '../../files/index.js';
import type { FileRow } from './attachments.repo.js';
import { CLEANED_IMAGES } from './content-type.js';
import { MAX_IMAGE_PIXELS } from './media-tools.js';

export const storageKeys = {
  original: (id: string) => `f/${id}`,
  clean: (id: string) => `c/${id}`,
  poster: (id: string) => `p/${id}`,
  thumbnail: (id: string, size: number) => `t/${id}/${size}`,
  /** Every key a file may have, for reclaiming. */
  all: (file: Pick<FileRow, 'id' | 'storage_key'>) => [
    file.storage_key,
    `c/${file.id}`,
    `p/${file.id}`,
    ...[...THUMBNAIL_SIZES, ...AVATAR_SIZES].map((size) => `t/${file.id}/${size}`),
  ],
};

/** The sizes a file's thumbnails come in: squares for avatars, longest sides otherwise. */
export const thumbnailSizes = (file: Pick<FileRow, 'purpose'>): readonly number[] =>
  file.purpose === 'avatar' ? AVATAR_SIZES : THUMBNAIL_SIZES;

function cleanCopy(image: Sharp, mime: string): Sharp {
  if (mime === 'image/png') return image.png();
  if (mime === 'image/webp') return image.webp({ quality: 90 });
  if (mime === 'image/avif') return image.avif({ quality: 70 });
  // Not mozjpeg: a few percent smaller, but several times slower on a 12-megapixel photo.
  return image.jpeg({ quality: 90 });
}

/** One decode of the source, streamed in from storage, feeding every rendition. */
export async function makeThumbnails(storage: FileStorage, file: FileRow): Promise<void> {
  const sourceKey = file.kind === 'video' ? `p/${file.id}` : file.storage_key;
  const source: Readable | null = await storage.get(sourceKey);
  if (!source) throw new Error(`file ${file.id} has no stored ${sourceKey}`);
  const decoder = sharp({ limitInputPixels: MAX_IMAGE_PIXELS }).rotate();
  const jobs: Promise<unknown>[] = [];
  for (const size of thumbnailSizes(file)) {
    const resized =
      file.purpose === 'avatar'
        ? decoder.clone().resize(size, size, { fit: 'cover', position: 'attention' })
        : decoder.clone().resize(size, size, { fit: 'inside', withoutEnlargement: true });
    jobs.push(
      resized
        .webp({ quality: 78 })
        .toBuffer()
        .then((webp) => storage.put(storageKeys.thumbnail(file.id, size), webp, 'image/webp')),
    );
  }
  if (file.kind === 'image' && file.purpose !== 'avatar' && file.mime && CLEANED_IMAGES.has(file.mime)) {
    // Streamed into storage: a large photo's full-size copy is never one buffer.
    jobs.push(storage.put(storageKeys.clean(file.id), cleanCopy(decoder.clone(), file.mime), file.mime));
  }
  source.pipe(decoder);
  await Promise.all(jobs);
}
