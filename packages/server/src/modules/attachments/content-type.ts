/**
 * What a file is, judged from its first bytes (file-type's magic numbers) — never from its
 * name or the uploader's Content-Type — and whether browsers may show it inline. Only the
 * types below are ever served inline; anything else (SVG, HTML, PDF, executables, text)
 * is served as an `attachment` download of `application/octet-stream` or its detected type.
 */
import type { AttachmentKind } from '@parley/protocol';
import { fileTypeFromBuffer } from 'file-type';

/** file-type needs at most this many leading bytes. */
export const SNIFF_BYTES = 4100;

const INLINE: Record<string, 'image' | 'video' | 'audio'> = {
  'image/jpeg': 'image',
  'image/png': 'image',
  'image/gif': 'image',
  'image/webp': 'image',
  'image/avif': 'image',
  'video/mp4': 'video',
  'video/webm': 'video',
  'video/quicktime': 'video',
  'audio/mpeg': 'audio',
  'audio/ogg': 'audio',
  'audio/opus': 'audio',
  'audio/wav': 'audio',
  'audio/x-wav': 'audio',
  'audio/mp4': 'audio',
  'audio/x-m4a': 'audio',
  'audio/aac': 'audio',
  'audio/flac': 'audio',
  'audio/x-flac': 'audio',
  'audio/webm': 'audio',
};

/** Images sharp re-encodes without their metadata (EXIF, GPS) before anyone sees them. */
export const CLEANED_IMAGES = new Set(['image/jpeg', 'image/png', 'image/webp', 'image/avif']);

export interface Detected {
  mime: string;
  kind: AttachmentKind;
  inline: boolean;
}

export async function detectContent(head: Uint8Array): Promise<Detected> {
  const found = await fileTypeFromBuffer(head);
  // Judged by the type alone: file-type names Ogg Opus (Firefox's voice recordings) `audio/ogg; codecs=opus`.
  const mime = found?.mime.split(';')[0]?.trim() ?? 'application/octet-stream';
  const media = INLINE[mime];
  return media ? { mime, kind: media, inline: true } : { mime, kind: 'file', inline: false };
}

/** The gallery tab an attachment shows under. */
export const galleryTab = (kind: AttachmentKind): 'media' | 'files' | 'voice' =>
  kind === 'image' || kind === 'video' ? 'media' : kind === 'voice' || kind === 'audio' ? 'voice' : 'files';
