/**
 * Attachments as two people use them (issue 11): Ann pastes a photo and drops a PDF, records
 * a voice message with Chromium's fake microphone; Bob sees them live, plays the voice
 * message, opens the gallery and pages through the viewer with the keyboard. Screenshots of
 * the composer with files, a photo message, the gallery and the viewer, desktop and phone.
 * Ann sets a profile photo and Bob sees it appear live.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../../server/src/test/test-server.js';
import { captureScreen } from './capture.js';
import {
  CHROMIUM_AVAILABLE,
  chatLink,
  composer,
  launchChromium,
  newAccount,
  openDevice,
  openSettings,
  pageErrors,
  screenshotOnFailure,
  setDisplayName,
  signIn,
  signUpInBrowser,
  startAppServer,
  startDirectChat,
} from './harness.js';

const REPO = fileURLToPath(new URL('../../..', import.meta.url));
const OUT_DIR =
  process.env.PARLEY_SCREENSHOTS === '1' ? path.join(REPO, 'docs', 'screenshots') : path.join(REPO, 'test-results', 'screenshots');

/** A PNG drawn in the page (a coloured square with a stripe), handed to the composer as a paste. */
async function pasteImage(page: Page, name: string, colour: string) {
  await composer(page).focus();
  await page.evaluate(
    async ({ name, colour }) => {
      const canvas = document.createElement('canvas');
      canvas.width = 640;
      canvas.height = 400;
      const g = canvas.getContext('2d');
      if (!g) throw new Error('no canvas');
      g.fillStyle = colour;
      g.fillRect(0, 0, 640, 400);
      g.fillStyle = '#ffffff';
      g.fillRect(0, 180, 640, 40);
      const blob = await new Promise<Blob>((resolve) => canvas.toBlob((b) => resolve(b as Blob), 'image/png'));
      const data = new DataTransfer();
      data.items.add(new File([blob], name, { type: 'image/png' }));
      const field = document.querySelector('.composer-input');
      field?.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    },
    { name, colour },
  );
}

async function dropPdf(page: Page, name: string) {
  await page.evaluate((name) => {
    const pdf =
      '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n';
    const data = new DataTransfer();
    data.items.add(new File([pdf], name, { type: 'application/pdf' }));
    const form = document.querySelector('form.composer');
    form?.dispatchEvent(new DragEvent('dragover', { dataTransfer: data, bubbles: true, cancelable: true }));
    form?.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
  }, name);
}

const uploaded = (page: Page) => page.locator('.attachment-draft[data-status="done"]');

describe.skipIf(!CHROMIUM_AVAILABLE)('attachments between two people', () => {
  let ts: TestServer;
  let browser: Browser;
  beforeAll(async () => {
    [ts, browser] = await Promise.all([
      startAppServer({ JOBS_POLL_MS: '100' }),
      launchChromium(['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream']),
    ]);
  });
  afterAll(async () => {
    await browser?.close();
    await ts?.close();
  });
  afterEach(async (context) => {
    await screenshotOnFailure(context);
    expect(pageErrors).toEqual([]);
  });

  it('pastes a photo, drops a PDF, records a voice message; the other sees, plays, browses the gallery, pages the viewer and sees a new avatar live', async () => {
    const annAccount = newAccount('ann');
    const bobAccount = newAccount('bob');
    const ann = await openDevice(browser, ts);
    const bob = await openDevice(browser, ts);
    await Promise.all([signUpInBrowser(ann.page, annAccount), signUpInBrowser(bob.page, bobAccount)]);
    await Promise.all([setDisplayName(ts, annAccount, 'Ann Archer'), setDisplayName(ts, bobAccount, 'Bob Baker')]);
    await startDirectChat(ann.page, 'Bob Bak', bobAccount.username);

    // A pasted photo uploads at once, with a preview; a caption goes with it.
    await pasteImage(ann.page, 'harbour.png', '#2a6f97');
    await uploaded(ann.page).first().waitFor();
    await composer(ann.page).fill('The harbour this morning');
    await captureScreen(ann.page, OUT_DIR, 'attachments-composer-desktop-light');
    await composer(ann.page).press('Enter');
    await chatLink(bob.page, 'Ann Archer').click();
    const bobsPhoto = bob.page.locator('.message-attachments .attachment-visual img[data-loaded]');
    await bobsPhoto.first().waitFor({ timeout: 20_000 });
    // The bubble keeps the photo's aspect ratio (640×400) from the start.
    const box = await bob.page.locator('.message-attachments .attachment-visual').first().boundingBox();
    expect(Math.round(((box?.width ?? 0) / (box?.height ?? 1)) * 10) / 10).toBe(1.6);
    await chatLink(bob.page, 'Ann Archer').getByText('The harbour this morning').waitFor();

    // A dropped PDF is a download, never shown inline.
    await dropPdf(ann.page, 'contract.pdf');
    await uploaded(ann.page).first().waitFor();
    await ann.page.getByRole('button', { name: 'Send' }).click();
    const pdfLink = bob.page.getByRole('link', { name: /^Download contract\.pdf/ });
    await pdfLink.waitFor();
    expect(await pdfLink.getAttribute('href')).toMatch(/\/api\/v1\/files\/[A-Za-z0-9_-]+\?download=1$/);
    // Without a caption, the chat list names what it is.
    await chatLink(bob.page, 'Ann Archer').getByText('File').waitFor();

    // A voice message from the fake microphone: recorded, sent, and played on the other side.
    await ann.page.getByRole('button', { name: 'Record a voice message' }).click();
    await ann.page.getByText(/Recording 0:0[1-9]/).waitFor({ timeout: 10_000 });
    await ann.page.getByRole('button', { name: 'Stop and send' }).click();
    const voice = bob.page.locator('.voice-player').last();
    await voice.waitFor({ timeout: 20_000 });
    await chatLink(bob.page, 'Ann Archer').getByText('Voice message').waitFor();
    await voice.getByRole('button', { name: 'Play' }).click();
    await voice.getByRole('button', { name: 'Pause' }).waitFor();
    await bob.page.waitForFunction(() => {
      const players = document.querySelectorAll<HTMLAudioElement>('.voice-player audio');
      const audio = players.item(players.length - 1);
      return (audio?.currentTime ?? 0) > 0;
    });
    await voice.getByRole('button', { name: 'Pause' }).click();

    // A second photo, then the gallery: newest first in Media, the PDF in Files, the voice message in Voice.
    await pasteImage(ann.page, 'hills.png', '#8a5a44');
    await uploaded(ann.page).first().waitFor();
    await ann.page.getByRole('button', { name: 'Send' }).click();
    await bob.page.locator('.message-attachments .attachment-visual img[data-loaded]').nth(1).waitFor({ timeout: 20_000 });
    await captureScreen(bob.page, OUT_DIR, 'attachments-message-desktop-light');
    await bob.page.getByRole('button', { name: 'Media, files and links' }).click();
    const gallery = bob.page.getByRole('dialog', { name: 'Media, files and links' });
    await expect.poll(() => gallery.locator('.gallery-cell').count()).toBe(2);
    expect(await gallery.locator('.gallery-cell').first().getAttribute('aria-label')).toBe('hills.png');
    await gallery.locator('.gallery-cell img').first().waitFor();
    await captureScreen(bob.page, OUT_DIR, 'attachments-gallery-desktop-light');
    await gallery.getByRole('tab', { name: 'Files' }).click();
    await gallery.getByText('contract.pdf').waitFor();
    await gallery.getByRole('tab', { name: 'Voice' }).click();
    await gallery.locator('.voice-player').waitFor();
    await gallery.getByRole('tab', { name: 'Media' }).click();

    // The viewer, from the older photo: → goes to the newer one, ← back, Escape closes.
    await gallery.locator('.gallery-cell').nth(1).click();
    const viewer = bob.page.locator('dialog.media-viewer');
    await viewer.getByText('1 of 2').waitFor();
    expect(await viewer.locator('.media-viewer-name').textContent()).toBe('harbour.png');
    await viewer.locator('img.media-viewer-media').waitFor();
    await captureScreen(bob.page, OUT_DIR, 'attachments-viewer-desktop-light');
    await bob.page.keyboard.press('ArrowRight');
    await viewer.getByText('2 of 2').waitFor();
    expect(await viewer.locator('.media-viewer-name').textContent()).toBe('hills.png');
    await bob.page.keyboard.press('+');
    expect(await viewer.locator('img.media-viewer-media').evaluate((img) => (img as HTMLElement).style.transform)).toBe('scale(1.25)');
    await bob.page.keyboard.press('ArrowLeft');
    await viewer.getByText('1 of 2').waitFor();
    await bob.page.keyboard.press('Escape');
    await viewer.waitFor({ state: 'detached' });

    // Ann sets a profile photo; Bob's chat list shows it without reloading.
    await openSettings(ann.page);
    const photo = await sharp({ create: { width: 320, height: 240, channels: 3, background: '#c0392b' } })
      .png()
      .toBuffer();
    await ann.page.getByLabel('Upload a photo').setInputFiles({ name: 'me.png', mimeType: 'image/png', buffer: photo });
    await ann.page.getByRole('dialog', { name: 'Crop your photo' }).getByRole('button', { name: 'Use this photo' }).click();
    await ann.page.getByRole('button', { name: 'Remove photo' }).waitFor({ timeout: 20_000 });
    const bobSeesPhoto = chatLink(bob.page, 'Ann Archer').locator('img.avatar-image');
    await bobSeesPhoto.waitFor({ timeout: 10_000 });
    await bob.page.waitForFunction(() => {
      const img = document.querySelector<HTMLImageElement>('.chat-row img.avatar-image, a img.avatar-image');
      return img?.complete && img.naturalWidth === 96;
    });

    // The same screens on a phone.
    const phone = await openDevice(browser, ts, { viewport: 'phone' });
    await signIn(phone.page, bobAccount.username, bobAccount.password);
    await chatLink(phone.page, 'Ann Archer').click();
    await phone.page.locator('.message-attachments .attachment-visual img[data-loaded]').nth(1).waitFor({ timeout: 20_000 });
    await captureScreen(phone.page, OUT_DIR, 'attachments-message-phone-light');
    await pasteImage(phone.page, 'reply.png', '#3d7a3d');
    await uploaded(phone.page).first().waitFor();
    await composer(phone.page).fill('Lovely — here is mine');
    await captureScreen(phone.page, OUT_DIR, 'attachments-composer-phone-light');
    await phone.page.getByRole('button', { name: 'Remove reply.png' }).click();
    await phone.page.getByRole('button', { name: 'Media, files and links' }).click();
    await phone.page.locator('.gallery-cell img').first().waitFor();
    await captureScreen(phone.page, OUT_DIR, 'attachments-gallery-phone-light');
    await phone.page.locator('.gallery-cell').first().click();
    await phone.page.locator('dialog.media-viewer img.media-viewer-media').waitFor();
    await captureScreen(phone.page, OUT_DIR, 'attachments-viewer-phone-light');
    // The viewer downloads the file itself, and "Show in chat" goes to its message.
    const phoneViewer = phone.page.locator('dialog.media-viewer');
    expect(await phoneViewer.getByRole('link', { name: 'Download' }).getAttribute('href')).toMatch(
      /\/api\/v1\/files\/[A-Za-z0-9_-]+\?download=1$/,
    );
    await phoneViewer.getByRole('button', { name: 'Show in chat' }).click();
    await phoneViewer.waitFor({ state: 'detached' });
    await phone.page.locator('.message-row[data-highlighted="true"] .message-attachments img').waitFor();
  }, 120_000);
});
