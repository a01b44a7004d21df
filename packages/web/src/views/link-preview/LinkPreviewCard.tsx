/**
 * A message's link preview (E18) under its text: the site, the title (a link to the page),
 * the description and the picture — which the server fetched and stores, so the browser
 * never asks the third-party site for anything. The sender can remove it for everyone.
 */
import type { Message } from '@parley/protocol';
import { previewImagePath } from '@parley/sdk';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { explainError } from '../../api/errors.js';
import { CrossIcon } from '../../components/icons.js';
import { removePreview, useLinkPreview } from '../../state/link-previews.js';
import { showToast } from '../../state/toasts.js';
import { LINK_REL } from '../../text/RichText.js';
import './link-preview.css';

export function LinkPreviewCard({ message, mine }: { message: Message; mine: boolean }) {
  const { t } = useTranslation();
  const preview = useLinkPreview(message);
  const [busy, setBusy] = useState(false);
  if (!preview) return null;
  const site = preview.siteName ?? new URL(preview.url).hostname;
  const remove = async () => {
    setBusy(true);
    try {
      await removePreview(message);
    } catch (error) {
      showToast(t('previewsEmoji.preview.removeFailed', { reason: explainError(error, t).message }), 'error');
    } finally {
      setBusy(false);
    }
  };
  return (
    <aside className="link-preview" aria-label={t('previewsEmoji.preview.label', { title: preview.title })} data-testid="link-preview">
      <div className="link-preview-text">
        <span className="link-preview-site">
          <bdi>{site}</bdi>
        </span>
        <a className="link-preview-title" href={preview.url} target="_blank" rel={LINK_REL} dir="auto">
          {preview.title}
        </a>
        {preview.description && (
          <p className="link-preview-description" dir="auto">
            {preview.description}
          </p>
        )}
      </div>
      {preview.image && (
        <img
          className="link-preview-image"
          src={previewImagePath(message.chatId, message.id)}
          width={preview.image.width}
          height={preview.image.height}
          alt={t('previewsEmoji.preview.imageAlt', { site })}
          loading="lazy"
        />
      )}
      {mine && (
        <button
          type="button"
          className="link-preview-remove icon-button"
          aria-label={t('previewsEmoji.preview.remove')}
          title={t('previewsEmoji.preview.remove')}
          disabled={busy}
          onClick={() => void remove()}
        >
          <CrossIcon size={14} />
        </button>
      )}
    </aside>
  );
}
