/**
 * The files of a message sent while they were still uploading, in its pending bubble: name
 * or preview, progress, cancel (the message goes without that file, or not at all if it
 * had nothing else) and retry after a failure.
 */
import { useTranslation } from 'react-i18next';
import { CrossIcon } from '../../components/icons.js';
import { FileIcon } from './icons.js';
import { cancelUpload, retryUpload, useTrackedUploads } from './upload-tracker.js';
import './attachments.css';

export function PendingUploads({ keys }: { keys: readonly string[] }) {
  const { t } = useTranslation();
  const items = useTrackedUploads(keys);
  if (items.length === 0) return null;
  return (
    <div className="pending-uploads">
      <ul className="pending-uploads-list" aria-label={t('attachments.pendingFiles')}>
        {items.map((item) => {
          const percent = Math.round(item.progress * 100);
          const final = item.errorCode === 'upload_too_large' || item.errorCode === 'upload_quota_exceeded';
          return (
            <li key={item.key} className="attachment-draft pending-upload" data-status={item.status}>
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
                  {item.status === 'failed'
                    ? item.errorCode === 'upload_too_large'
                      ? t('attachments.tooLarge', { name: item.file.name })
                      : item.errorCode === 'upload_quota_exceeded'
                        ? t('attachments.quota')
                        : t('attachments.failed')
                    : t('attachments.uploading', { percent })}
                </span>
                {item.status !== 'failed' && (
                  <progress
                    className="attachment-draft-progress"
                    max={100}
                    value={percent}
                    aria-label={t('attachments.uploading', { percent })}
                  />
                )}
              </span>
              {item.status === 'failed' && !final && (
                <button type="button" className="link-button" onClick={() => retryUpload(item.key)}>
                  {t('attachments.retry')}
                </button>
              )}
              <button
                type="button"
                className="icon-button"
                aria-label={item.status === 'failed' ? t('attachments.remove', { name: item.file.name }) : t('attachments.cancelUpload')}
                onClick={() => cancelUpload(item.key)}
              >
                <CrossIcon />
              </button>
            </li>
          );
        })}
      </ul>
      <p className="pending-uploads-note">{t('attachments.sendsWhenUploaded')}</p>
    </div>
  );
}
