/** Where the app fetches files, thumbnails and avatars, and what it shows while they load. */
import type { Attachment } from '@parley/protocol';
import { thumbHashToDataURL } from 'thumbhash';
import { parley } from '../../api/client.js';

export const fileUrl = (id: string, download = false) => parley.files.url(id, { download });
export const thumbnailUrl = (id: string, size: 160 | 480 | 1280) => parley.files.thumbnailUrl(id, size);
export const avatarUrl = (id: string, size: 96 | 512) => parley.files.thumbnailUrl(id, size);

const placeholders = new Map<string, string>();

/** The thumbhash as a tiny data: URL (decoded once per attachment). */
export function placeholderUrl(attachment: Pick<Attachment, 'id' | 'placeholder'>): string | undefined {
  if (!attachment.placeholder) return undefined;
  let url = placeholders.get(attachment.id);
  if (!url) {
    const bytes = Uint8Array.from(atob(attachment.placeholder), (c) => c.charCodeAt(0));
    url = thumbHashToDataURL(bytes);
    placeholders.set(attachment.id, url);
  }
  return url;
}

/** Display size inside a box, keeping the aspect ratio: the space is reserved before the image arrives. */
export function fitted(width: number | null, height: number | null, maxWidth: number, maxHeight: number) {
  if (!width || !height) return { width: maxWidth, height: Math.round(maxWidth * 0.75) };
  const scale = Math.min(1, maxWidth / width, maxHeight / height);
  return { width: Math.max(48, Math.round(width * scale)), height: Math.max(48, Math.round(height * scale)) };
}

export function formatBytes(bytes: number, locale: string): string {
  const units = ['B', 'KB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${value.toLocaleString(locale, { maximumFractionDigits: unit === 0 ? 0 : 1 })} ${units[unit]}`;
}

export function formatDuration(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return '';
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

/** What the chat list says for a message that has files and no text. */
export function attachmentPreviewKey(attachments: readonly Pick<Attachment, 'kind'>[]) {
  const first = attachments[0];
  if (!first) return null;
  if (first.kind === 'image') return 'attachments.photo' as const;
  if (first.kind === 'video') return 'attachments.video' as const;
  if (first.kind === 'voice') return 'attachments.voice' as const;
  if (first.kind === 'audio') return 'attachments.audio' as const;
  return 'attachments.file' as const;
}
