/**
 * Cropping a new profile photo to a square before it is uploaded: the photo under a round
 * frame, moved by dragging (or the arrow keys) and zoomed with a slider (or + and −), with
 * previews at the sizes others see it in. "Use this photo" draws the square at 512 px on a
 * canvas and hands back that image; nothing is uploaded until then.
 */
import { type KeyboardEvent, type PointerEvent, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Dialog } from '../../components/Dialog.js';
import './avatar-crop.css';
import { type CropSquare, clampCrop, initialCrop, zoomCrop } from './avatar-crop.js';

const STAGE = 280;
const OUTPUT = 512;
const PREVIEWS = [96, 40];

/** The photo positioned so that `crop` fills a square of `size` px. */
function CropView({ image, crop, size }: { image: HTMLImageElement; crop: CropSquare; size: number }) {
  const scale = size / crop.side;
  return (
    <img
      src={image.src}
      alt=""
      draggable={false}
      className="avatar-crop-image"
      style={{
        width: image.naturalWidth * scale,
        height: image.naturalHeight * scale,
        // Physical on purpose: the square is in the photo's pixels, which do not turn with the text direction.
        left: -crop.x * scale,
        top: -crop.y * scale,
      }}
    />
  );
}

async function cropped(image: HTMLImageElement, crop: CropSquare, type: string): Promise<Blob> {
  const canvas = document.createElement('canvas');
  canvas.width = OUTPUT;
  canvas.height = OUTPUT;
  const g = canvas.getContext('2d');
  if (!g) throw new Error('no canvas');
  g.imageSmoothingQuality = 'high';
  g.drawImage(image, crop.x, crop.y, crop.side, crop.side, 0, 0, OUTPUT, OUTPUT);
  // PNG keeps a transparent background; everything else is a photo.
  const format = type === 'image/png' ? 'image/png' : 'image/jpeg';
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, format, 0.9));
  if (!blob) throw new Error('the photo could not be drawn');
  return blob;
}

export function AvatarCropDialog({ file, onCancel, onCropped }: { file: File; onCancel(): void; onCropped(photo: File): void }) {
  const { t } = useTranslation();
  const [image, setImage] = useState<HTMLImageElement | null>(null);
  const [crop, setCrop] = useState<CropSquare | null>(null);
  const drag = useRef<{ x: number; y: number; crop: CropSquare } | null>(null);

  useEffect(() => {
    const url = URL.createObjectURL(file);
    const img = new Image();
    img.onload = () => {
      setImage(img);
      setCrop(initialCrop(img.naturalWidth, img.naturalHeight));
    };
    img.onerror = onCancel;
    img.src = url;
    return () => URL.revokeObjectURL(url);
  }, [file, onCancel]);

  const bounds = image ? { width: image.naturalWidth, height: image.naturalHeight } : null;
  const move = (dx: number, dy: number) => setCrop((c) => (c && bounds ? clampCrop({ ...c, x: c.x + dx, y: c.y + dy }, bounds) : c));
  const zoom = (factor: number) => setCrop((c) => (c && bounds ? zoomCrop(c, bounds, factor) : c));
  const zoomLevel = crop && bounds ? Math.min(bounds.width, bounds.height) / crop.side : 1;

  const onPointerDown = (event: PointerEvent<HTMLDivElement>) => {
    if (!crop) return;
    event.currentTarget.setPointerCapture(event.pointerId);
    drag.current = { x: event.clientX, y: event.clientY, crop };
  };
  const onPointerMove = (event: PointerEvent<HTMLDivElement>) => {
    const start = drag.current;
    if (!start || !bounds) return;
    const perPixel = start.crop.side / STAGE;
    // Dragging the photo right shows more of its left: the square moves the other way.
    const next = {
      ...start.crop,
      x: start.crop.x - (event.clientX - start.x) * perPixel,
      y: start.crop.y - (event.clientY - start.y) * perPixel,
    };
    setCrop(clampCrop(next, bounds));
  };
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (!crop) return;
    const step = crop.side / 20;
    const moves: Record<string, [number, number]> = {
      ArrowLeft: [step, 0],
      ArrowRight: [-step, 0],
      ArrowUp: [0, step],
      ArrowDown: [0, -step],
    };
    const by = moves[event.key];
    if (by) move(...by);
    else if (event.key === '+' || event.key === '=') zoom(1.1);
    else if (event.key === '-' || event.key === '−') zoom(1 / 1.1);
    else return;
    event.preventDefault();
  };

  const confirm = async () => {
    if (!image || !crop) return;
    const blob = await cropped(image, crop, file.type);
    const base = file.name.replace(/\.[^.]*$/, '') || 'photo';
    onCropped(new File([blob], `${base}.${blob.type === 'image/png' ? 'png' : 'jpg'}`, { type: blob.type }));
  };

  return (
    <Dialog
      title={t('attachments.avatarCropTitle')}
      onClose={onCancel}
      className="avatar-crop-dialog"
      footer={
        <>
          <button type="button" className="button button-ghost" onClick={onCancel}>
            {t('common.cancel')}
          </button>
          <button type="button" className="button button-primary" disabled={!crop} onClick={() => void confirm()}>
            {t('attachments.avatarUse')}
          </button>
        </>
      }
    >
      <p className="avatar-crop-hint">{t('attachments.avatarCropHint')}</p>
      <div className="avatar-crop-layout">
        {/* biome-ignore lint/a11y/useSemanticElements: a draggable, keyboard-movable area has no native element. */}
        <div
          className="avatar-crop-stage"
          role="group"
          aria-label={t('attachments.avatarCropArea')}
          // biome-ignore lint/a11y/noNoninteractiveTabindex: the arrow keys move the photo, so the area takes focus.
          tabIndex={0}
          style={{ width: STAGE, height: STAGE }}
          onPointerDown={onPointerDown}
          onPointerMove={onPointerMove}
          onPointerUp={() => {
            drag.current = null;
          }}
          onKeyDown={onKeyDown}
        >
          {image && crop && <CropView image={image} crop={crop} size={STAGE} />}
          <span className="avatar-crop-frame" aria-hidden="true" />
        </div>
        <div className="avatar-crop-previews">
          <span className="avatar-crop-previews-label">{t('attachments.avatarPreview')}</span>
          {PREVIEWS.map((size) => (
            <span key={size} className="avatar-crop-preview" style={{ width: size, height: size }} data-size={size}>
              {image && crop && <CropView image={image} crop={crop} size={size} />}
            </span>
          ))}
        </div>
      </div>
      <label className="avatar-crop-zoom">
        <span>{t('attachments.avatarZoom')}</span>
        <input
          type="range"
          min={1}
          max={4}
          step={0.01}
          value={zoomLevel}
          disabled={!crop}
          onChange={(event) => zoom(Number(event.target.value) / zoomLevel)}
        />
      </label>
    </Dialog>
  );
}
