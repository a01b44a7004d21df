/**
 * The files of a message: photos and videos in a grid at their own aspect ratio (the space
 * is reserved and the thumbhash shows until the thumbnail arrives, so the list never
 * jumps), voice messages and audio as players, other files as a named download.
 */
import type { Attachment, Message } from '@parley/protocol';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FileIcon } from './icons.js';
import { fileUrl, fitted, formatBytes, formatDuration, placeholderUrl, thumbnailUrl } from './media-url.js';
import { VoicePlayer } from './VoicePlayer.js';
import { openViewer } from './viewer-state.js';
import './attachments.css';

const MAX_WIDTH = 320;
const MAX_HEIGHT = 360;

/** A thumbnail still being made answers 409: try again a few times, showing the placeholder meanwhile. */
function useRetryingSource(src: string | null) {
  const [attempt, setAttempt] = useState(0);
  const [loaded, setLoaded] = useState(false);
  return {
    src: src && attempt > 0 ? `${src}${src.includes('?') ? '&' : '?'}r=${attempt}` : src,
    loaded,
    onLoad: () => setLoaded(true),
    onError: () => {
      if (attempt < 8) setTimeout(() => setAttempt((n) => n + 1), 600 * (attempt + 1));
    },
  };
}

function Visual({ attachment, message, single }: { attachment: Attachment; message: Message; single: boolean }) {
  const { t } = useTranslation();
  const box = single ? fitted(attachment.width, attachment.height, MAX_WIDTH, MAX_HEIGHT) : { width: 156, height: 156 };
  const still = attachment.thumbnails && !attachment.animated ? thumbnailUrl(attachment.id, 480) : null;
  const source = useRetryingSource(attachment.kind === 'image' ? (still ?? fileUrl(attachment.id)) : still);
  const placeholder = placeholderUrl(attachment);
  const open = () => openViewer({ chatId: message.chatId, attachmentId: attachment.id, messageId: message.id });
  if (attachment.kind === 'video' && single) {
    return (
      <span
        className="attachment-visual"
        style={{ inlineSize: box.width, blockSize: box.height, backgroundImage: placeholder ? `url(${placeholder})` : undefined }}
      >
        {/* biome-ignore lint/a11y/useMediaCaption: people's own videos come without caption tracks. */}
        <video className="attachment-video" controls preload="metadata" poster={still ?? undefined} src={fileUrl(attachment.id)} />
        <button type="button" className="attachment-expand link-button" onClick={open}>
          {t('attachments.video')} {formatDuration(attachment.durationMs)}
        </button>
      </span>
    );
  }
  return (
    <button
      type="button"
      className="attachment-visual"
      aria-label={`${attachment.kind === 'video' ? t('attachments.video') : t('attachments.photo')}: ${attachment.name}`}
      style={{ inlineSize: box.width, blockSize: box.height, backgroundImage: placeholder ? `url(${placeholder})` : undefined }}
      onClick={open}
    >
      {source.src && (
        <img src={source.src} alt="" data-loaded={source.loaded || undefined} onLoad={source.onLoad} onError={source.onError} />
      )}
      {attachment.kind === 'video' && <span className="attachment-badge">▶ {formatDuration(attachment.durationMs)}</span>}
    </button>
  );
}

function FileChip({ attachment }: { attachment: Attachment }) {
  const { t, i18n } = useTranslation();
  return (
    <a className="attachment-file" href={fileUrl(attachment.id, true)} download={attachment.name}>
      <FileIcon />
      <span className="attachment-file-text">
        <span className="visually-hidden">{t('attachments.download')} </span>
        <span className="attachment-file-name" dir="auto">
          {attachment.name}
        </span>
        <span className="attachment-file-meta">{formatBytes(attachment.size, i18n.language)}</span>
      </span>
    </a>
  );
}

export function MessageAttachments({ message }: { message: Message }) {
  const attachments = message.attachments ?? [];
  if (attachments.length === 0) return null;
  const visuals = attachments.filter((a) => a.kind === 'image' || a.kind === 'video');
  const players = attachments.filter((a) => a.kind === 'voice' || a.kind === 'audio');
  const files = attachments.filter((a) => a.kind === 'file');
  return (
    <div className="message-attachments">
      {visuals.length > 0 && (
        <div className="attachment-grid" data-count={Math.min(visuals.length, 4)}>
          {visuals.map((a) => (
            <Visual key={a.id} attachment={a} message={message} single={visuals.length === 1} />
          ))}
        </div>
      )}
      {players.map((a) => (
        <VoicePlayer key={a.id} attachment={a} />
      ))}
      {files.map((a) => (
        <FileChip key={a.id} attachment={a} />
      ))}
    </div>
  );
}
