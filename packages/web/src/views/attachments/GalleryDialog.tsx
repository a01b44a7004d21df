/** F3: a chat's gallery — media, files, voice and links — newest first, a page at a time. */
import type { Chat, GalleryItem, GalleryTab } from '@parley/protocol';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { parley } from '../../api/client.js';
import { Dialog } from '../../components/Dialog.js';
import { FileIcon, GalleryIcon } from './icons.js';
import { fileUrl, formatBytes, placeholderUrl, thumbnailUrl } from './media-url.js';
import { VoicePlayer } from './VoicePlayer.js';
import { openViewer } from './viewer-state.js';

const TABS: {
  tab: GalleryTab;
  label: 'attachments.tabMedia' | 'attachments.tabFiles' | 'attachments.tabVoice' | 'attachments.tabLinks';
}[] = [
  { tab: 'media', label: 'attachments.tabMedia' },
  { tab: 'files', label: 'attachments.tabFiles' },
  { tab: 'voice', label: 'attachments.tabVoice' },
  { tab: 'links', label: 'attachments.tabLinks' },
];
const PAGE = 30;

export function GalleryButton({ onOpen }: { onOpen(): void }) {
  const { t } = useTranslation();
  return (
    <button type="button" className="icon-button" aria-label={t('attachments.gallery')} title={t('attachments.gallery')} onClick={onOpen}>
      <GalleryIcon />
    </button>
  );
}

export function GalleryDialog({ chat, onClose }: { chat: Chat; onClose(): void }) {
  const { t, i18n } = useTranslation();
  const [tab, setTab] = useState<GalleryTab>('media');
  const [items, setItems] = useState<GalleryItem[]>([]);
  const [nextBefore, setNextBefore] = useState<number | null>(null);
  const [loading, setLoading] = useState(true);

  const load = async (before: number | null, replace: boolean) => {
    setLoading(true);
    try {
      const page = await parley.files.gallery(chat.id, { tab, limit: PAGE, ...(before !== null && { before }) });
      setItems((current) => (replace ? page.items : [...current, ...page.items]));
      setNextBefore(page.nextBefore);
    } finally {
      setLoading(false);
    }
  };
  // biome-ignore lint/correctness/useExhaustiveDependencies: reload when the tab or the chat changes, not when `load` is recreated.
  useEffect(() => {
    setItems([]);
    void load(null, true);
  }, [chat.id, tab]);

  return (
    <Dialog title={t('attachments.gallery')} onClose={onClose} className="gallery-dialog">
      <div className="gallery-tabs" role="tablist">
        {TABS.map((entry) => (
          <button
            key={entry.tab}
            type="button"
            role="tab"
            aria-selected={tab === entry.tab}
            className="gallery-tab"
            onClick={() => setTab(entry.tab)}
          >
            {t(entry.label)}
          </button>
        ))}
      </div>
      <div role="tabpanel" className="gallery-panel" data-tab={tab}>
        {!loading && items.length === 0 && <p className="gallery-empty">{t('attachments.galleryEmpty')}</p>}
        {tab === 'media' && (
          <div className="gallery-grid">
            {items.map((item) =>
              item.attachment ? (
                <button
                  key={`${item.messageId}:${item.attachment.id}`}
                  type="button"
                  className="gallery-cell"
                  aria-label={item.attachment.name}
                  style={{ backgroundImage: placeholderUrl(item.attachment) ? `url(${placeholderUrl(item.attachment)})` : undefined }}
                  onClick={() => {
                    if (!item.attachment) return;
                    onClose();
                    openViewer({ chatId: chat.id, attachmentId: item.attachment.id, messageId: item.messageId });
                  }}
                >
                  {item.attachment.thumbnails && <img src={thumbnailUrl(item.attachment.id, 160)} alt="" loading="lazy" />}
                </button>
              ) : null,
            )}
          </div>
        )}
        {tab === 'files' && (
          <ul className="gallery-list">
            {items.map((item) =>
              item.attachment ? (
                <li key={`${item.messageId}:${item.attachment.id}`}>
                  <a className="attachment-file" href={fileUrl(item.attachment.id, true)} download={item.attachment.name}>
                    <FileIcon />
                    <span className="attachment-file-text">
                      <span className="attachment-file-name" dir="auto">
                        {item.attachment.name}
                      </span>
                      <span className="attachment-file-meta">
                        {formatBytes(item.attachment.size, i18n.language)} · {new Date(item.createdAt).toLocaleDateString(i18n.language)}
                      </span>
                    </span>
                  </a>
                </li>
              ) : null,
            )}
          </ul>
        )}
        {tab === 'voice' && (
          <ul className="gallery-list">
            {items.map((item) =>
              item.attachment ? (
                <li key={`${item.messageId}:${item.attachment.id}`}>
                  <VoicePlayer attachment={item.attachment} />
                </li>
              ) : null,
            )}
          </ul>
        )}
        {tab === 'links' && (
          <ul className="gallery-list">
            {items.flatMap((item) =>
              item.links.map((link) => (
                <li key={`${item.messageId}:${link}`}>
                  <a href={link} target="_blank" rel="noopener noreferrer nofollow" dir="auto" className="gallery-link">
                    {link}
                  </a>
                </li>
              )),
            )}
          </ul>
        )}
        {nextBefore !== null && (
          <button type="button" className="link-button gallery-more" disabled={loading} onClick={() => void load(nextBefore, false)}>
            {t('attachments.loadMore')}
          </button>
        )}
      </div>
    </Dialog>
  );
}

/** The header's gallery button and the dialog it opens. */
export function ChatGalleryButton({ chat }: { chat: Chat }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <GalleryButton onOpen={() => setOpen(true)} />
      {open && <GalleryDialog chat={chat} onClose={() => setOpen(false)} />}
    </>
  );
}
