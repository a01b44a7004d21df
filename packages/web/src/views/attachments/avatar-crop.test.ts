import { describe, expect, it } from 'vitest';
import { clampCrop, initialCrop, zoomCrop } from './avatar-crop.js';

describe('the avatar crop square', () => {
  it('starts as the largest centred square of a landscape or portrait photo', () => {
    expect(initialCrop(400, 300)).toEqual({ x: 50, y: 0, side: 300 });
    expect(initialCrop(300, 500)).toEqual({ x: 0, y: 100, side: 300 });
  });

  it('never leaves the photo, however far it is dragged', () => {
    const bounds = { width: 400, height: 300 };
    expect(clampCrop({ x: -80, y: 20, side: 300 }, bounds)).toEqual({ x: 0, y: 0, side: 300 });
    expect(clampCrop({ x: 500, y: 500, side: 100 }, bounds)).toEqual({ x: 300, y: 200, side: 100 });
  });

  it('zooms about its centre, no further out than the photo and no closer than four times', () => {
    const bounds = { width: 400, height: 300 };
    expect(zoomCrop({ x: 50, y: 0, side: 300 }, bounds, 2)).toEqual({ x: 125, y: 75, side: 150 });
    expect(zoomCrop({ x: 125, y: 75, side: 150 }, bounds, 100).side).toBe(75);
    expect(zoomCrop({ x: 125, y: 75, side: 150 }, bounds, 0.1)).toEqual({ x: 50, y: 0, side: 300 });
  });
});
