/** The composer's files: a thumbnail or name each, upload progress, remove/cancel and retry. */
import { useTranslation } from 'react-i18next';
import { CrossIcon } from '../../components/icons.js';
import { FileIcon, PaperclipIcon } from './icons.js';
import { formatBytes } from './media-url.js';
import type { ComposerAttachments } from './useComposerAttachments.js';
import './attachments.css';

export function AttachButton({ onFiles, disabled }: { onFiles: (files: FileList) => void; disabled?: boolean }) {
  const { t } = useTranslation();
  return (
    <label className="icon-button attach-button" aria-disabled={disabled || undefined} title={t('attachments.attach')}>
      <PaperclipIcon />
      <input
        type="file"
        multiple
        className="visually-hidden"
        aria-label={t('attachments.attach')}
        disabled={disabled}
        onChange={(event) => {
          if (event.target.files) onFiles(event.target.files);
          event.target.value = '';
        }}
      />
    </label>
  );
}

export function AttachmentTray({ attachments }: { attachments: ComposerAttachments }) {
  const { t, i18n } = useTranslation();
  if (attachments.items.length === 0) return null;
  return (
    <ul className="attachment-tray" aria-label={t('attachments.attach')}>
      {attachments.items.map((item) => {
        const percent = Math.round(item.progress * 100);
        return (
          <li key={item.key} className="attachment-draft" data-status={item.status}>
            {item.previewUrl && item.file.type.startsWith('image/') ? (
              <img className="attachment-draft-preview" src={item.previewUrl} alt="" />
            ) : (
              <span className="attachment-draft-icon">
                <FileIcon />
              </span>
            )}
            <span className="attachment-draft-text">
              <span className="attachment-draft-name" dir="auto">
                {item.file.name}
              </span>
              <span className="attachment-draft-meta">
                {item.status === 'uploading'
                  ? t('attachments.uploading', { percent })
                  : item.status === 'failed'
                    ? item.errorCode === 'upload_too_large'
                      ? t('attachments.tooLarge', { name: item.file.name })
                      : item.errorCode === 'upload_quota_exceeded'
                        ? t('attachments.quota')
                        : t('attachments.failed')
                    : formatBytes(item.file.size, i18n.language)}
              </span>
              {item.status === 'uploading' && (
                <progress
                  className="attachment-draft-progress"
                  max={100}
                  value={percent}
                  aria-label={t('attachments.uploading', { percent })}
                />
              )}
            </span>
            {item.status === 'failed' && item.errorCode !== 'upload_too_large' && item.errorCode !== 'upload_quota_exceeded' && (
              <button type="button" className="link-button" onClick={() => attachments.retry(item.key)}>
                {t('attachments.retry')}
              </button>
            )}
            <button
              type="button"
              className="icon-button"
              aria-label={item.status === 'uploading' ? t('attachments.cancelUpload') : t('attachments.remove', { name: item.file.name })}
              onClick={() => attachments.remove(item.key)}
            >
              <CrossIcon />
            </button>
          </li>
        );
      })}
    </ul>
  );
}

export { PaperclipIcon };
