/**
 * The fullscreen viewer: a chat's photos and videos oldest to newest, previous/next by
 * buttons and ←/→, zoom by the wheel, pinch (browser zoom of the image) or +/−, download,
 * and "Show in chat". Escape closes (the native dialog's cancel).
 */
import type { GalleryItem } from '@parley/protocol';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { parley } from '../../api/client.js';
import { CrossIcon } from '../../components/icons.js';
import { jumpTo } from '../../state/messages.js';
import { ChevronIcon } from './icons.js';
import { fileUrl, placeholderUrl, thumbnailUrl } from './media-url.js';
import { closeViewer, useViewerTarget, type ViewerTarget } from './viewer-state.js';

const MAX_PAGES = 10;

/** Every photo and video of the chat, oldest first (the gallery pages newest first). */
async function loadMedia(chatId: string): Promise<GalleryItem[]> {
  const items: GalleryItem[] = [];
  let before: number | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const result = await parley.files.gallery(chatId, { tab: 'media', limit: 100, ...(before !== undefined && { before }) });
    items.push(...result.items);
    if (result.nextBefore === null) break;
    before = result.nextBefore;
  }
  return items.reverse();
}

function Viewer({ target }: { target: ViewerTarget }) {
  const { t } = useTranslation();
  const dialog = useRef<HTMLDialogElement>(null);
  const [items, setItems] = useState<GalleryItem[] | null>(null);
  const [index, setIndex] = useState(0);
  const [zoom, setZoom] = useState(1);

  useEffect(() => {
    dialog.current?.showModal();
    let live = true;
    void loadMedia(target.chatId).then((loaded) => {
      if (!live) return;
      setItems(loaded);
      setIndex(
        Math.max(
          0,
          loaded.findIndex((item) => item.attachment?.id === target.attachmentId),
        ),
      );
    });
    return () => {
      live = false;
    };
  }, [target.chatId, target.attachmentId]);

  const count = items?.length ?? 0;
  const go = (step: number) => {
    setZoom(1);
    setIndex((i) => Math.min(Math.max(0, i + step), Math.max(0, count - 1)));
  };
  const current = items?.[index]?.attachment ?? null;
  const item = items?.[index];

  return (
    <dialog
      ref={dialog}
      className="media-viewer"
      aria-label={current?.name ?? t('attachments.gallery')}
      onClose={closeViewer}
      onClick={(event) => {
        if (event.target === event.currentTarget) closeViewer();
      }}
      onKeyDown={(event) => {
        if (event.key === 'ArrowLeft') go(document.dir === 'rtl' ? 1 : -1);
        else if (event.key === 'ArrowRight') go(document.dir === 'rtl' ? -1 : 1);
        else if (event.key === '+' || event.key === '=') setZoom((z) => Math.min(4, z * 1.25));
        else if (event.key === '-') setZoom((z) => Math.max(1, z / 1.25));
        else return;
        event.preventDefault();
      }}
    >
      <div className="media-viewer-bar">
        <span className="media-viewer-counter">{count > 0 && t('attachments.counter', { index: index + 1, count })}</span>
        <span className="media-viewer-name" dir="auto">
          {current?.name}
        </span>
        <button
          type="button"
          className="link-button"
          onClick={() => setZoom((z) => Math.max(1, z / 1.25))}
          aria-label={t('attachments.zoomOut')}
        >
          −
        </button>
        <button
          type="button"
          className="link-button"
          onClick={() => setZoom((z) => Math.min(4, z * 1.25))}
          aria-label={t('attachments.zoomIn')}
        >
          +
        </button>
        {current && (
          <a className="link-button" href={fileUrl(current.id, true)} download={current.name}>
            {t('attachments.download')}
          </a>
        )}
        {item && (
          <button
            type="button"
            className="link-button"
            onClick={() => {
              closeViewer();
              void jumpTo(target.chatId, item.messageId);
            }}
          >
            {t('attachments.showInChat')}
          </button>
        )}
        <button type="button" className="icon-button" aria-label={t('attachments.close')} onClick={closeViewer}>
          <CrossIcon size={20} />
        </button>
      </div>
      <div
        className="media-viewer-stage"
        onWheel={(event) => setZoom((z) => Math.min(4, Math.max(1, z * (event.deltaY < 0 ? 1.1 : 1 / 1.1))))}
      >
        <button
          type="button"
          className="media-viewer-nav"
          data-side="start"
          aria-label={t('attachments.previous')}
          disabled={index <= 0}
          onClick={() => go(-1)}
        >
          <ChevronIcon direction="left" />
        </button>
        {current?.kind === 'video' ? (
          // biome-ignore lint/a11y/useMediaCaption: people's own videos come without caption tracks.
          <video
            key={current.id}
            className="media-viewer-media"
            controls
            autoPlay
            src={fileUrl(current.id)}
            poster={current.thumbnails ? thumbnailUrl(current.id, 1280) : undefined}
          />
        ) : current ? (
          <img
            key={current.id}
            className="media-viewer-media"
            src={current.animated ? fileUrl(current.id) : thumbnailUrl(current.id, 1280)}
            alt={current.name}
            style={{
              transform: `scale(${zoom})`,
              backgroundImage: placeholderUrl(current) ? `url(${placeholderUrl(current)})` : undefined,
            }}
            onDoubleClick={() => setZoom((z) => (z > 1 ? 1 : 2))}
          />
        ) : null}
        <button
          type="button"
          className="media-viewer-nav"
          data-side="end"
          aria-label={t('attachments.next')}
          disabled={index >= count - 1}
          onClick={() => go(1)}
        >
          <ChevronIcon direction="right" />
        </button>
      </div>
    </dialog>
  );
}

/** Mounted once in the conversation; shows the viewer while a target is set. */
export function MediaViewerHost() {
  const target = useViewerTarget();
  return target ? <Viewer key={`${target.chatId}:${target.attachmentId}`} target={target} /> : null;
}
