/** File rows → API attachments. Queries nothing. */
import type { Attachment, UploadedFile } from '@parley/protocol';
import { toIso } from '../../clock.js';
import type { FileRow } from './attachments.repo.js';

export function presentAttachment(row: FileRow): Attachment {
  return {
    id: row.id,
    kind: row.kind,
    name: row.name,
    size: Number(row.size),
    mime: row.mime ?? 'application/octet-stream',
    inline: row.inline === 1,
    width: row.width,
    height: row.height,
    durationMs: row.duration_ms === null ? null : Number(row.duration_ms),
    placeholder: row.placeholder,
    waveform: row.waveform,
    thumbnails: row.thumbnails === 'pending' || row.thumbnails === 'ready',
    animated: row.animated === 1,
  };
}

export const presentUploadedFile = (row: FileRow): UploadedFile => ({
  ...presentAttachment(row),
  sha256: row.sha256,
  createdAt: toIso(row.created_at),
});
