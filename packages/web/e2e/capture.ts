/**
 * One screenshot of a screen as the docs show it: fonts loaded, no hover, nothing spilling
 * past the screen's edge, and axe finding no WCAG A/AA violations on it.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { accessibilityViolations } from './axe.js';

export async function captureScreen(page: Page, dir: string, name: string) {
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  // No hover effects in the pictures.
  await page.mouse.move(1, 1);
  const viewportWidth = page.viewportSize()?.width ?? 0;
  expect(await page.evaluate(() => document.documentElement.scrollWidth), `${name} overflows sideways`).toBeLessThanOrEqual(viewportWidth);
  fs.mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, `${name}.png`), animations: 'disabled', caret: 'hide' });
  expect(await accessibilityViolations(page), `${name}: accessibility`).toEqual([]);
}
