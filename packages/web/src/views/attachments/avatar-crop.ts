/**
 * The square of a photo that becomes a profile photo, in the photo's own pixels: where it
 * starts (x, y) and how long its side is. Pure, so the dialog's rules are unit-tested.
 */
export interface CropSquare {
  x: number;
  y: number;
  side: number;
}

export interface ImageBounds {
  width: number;
  height: number;
}

/** The smallest square the zoom allows: a quarter of the photo's shorter side. */
const MAX_ZOOM = 4;

/** The largest centred square: what a portrait or landscape photo shows before any change. */
export function initialCrop(width: number, height: number): CropSquare {
  const side = Math.min(width, height);
  return { x: (width - side) / 2, y: (height - side) / 2, side };
}

/** The square moved back inside the photo, and its side kept between the photo's shorter side and a quarter of it. */
const clampSide = (side: number, bounds: ImageBounds) => {
  const full = Math.min(bounds.width, bounds.height);
  return Math.min(full, Math.max(full / MAX_ZOOM, side));
};

export function clampCrop(crop: CropSquare, bounds: ImageBounds): CropSquare {
  const side = clampSide(crop.side, bounds);
  return {
    side,
    x: Math.min(bounds.width - side, Math.max(0, crop.x)),
    y: Math.min(bounds.height - side, Math.max(0, crop.y)),
  };
}

/** Zoomed by `factor` (>1 closer) about the square's centre, then kept inside the photo. */
export function zoomCrop(crop: CropSquare, bounds: ImageBounds, factor: number): CropSquare {
  const side = clampSide(crop.side / factor, bounds);
  const centreX = crop.x + crop.side / 2;
  const centreY = crop.y + crop.side / 2;
  return clampCrop({ side, x: centreX - side / 2, y: centreY - side / 2 }, bounds);
}
