/**
 * Profile photos as two people see them (issue 11): Ann picks a landscape photo, crops it
 * to a square in the crop dialog (dragging it and zooming with the keyboard, the previews
 * following), and Bob sees the cropped square live wherever Ann appears — her direct chat
 * in his list, her messages in a group, her profile — without reloading; then she gives
 * the group a photo, which his list shows live too. Screenshots of the crop dialog (desktop and phone) and the group's info panel.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Locator } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../../server/src/test/test-server.js';
import { captureScreen } from './capture.js';
import {
  CHROMIUM_AVAILABLE,
  chatLink,
  launchChromium,
  messageRow,
  newAccount,
  openDevice,
  openSettings,
  pageErrors,
  registerAccount,
  screenshotOnFailure,
  setDisplayName,
  signIn,
  startAppServer,
} from './harness.js';

const REPO = fileURLToPath(new URL('../../..', import.meta.url));
const OUT_DIR =
  process.env.PARLEY_SCREENSHOTS === '1' ? path.join(REPO, 'docs', 'screenshots') : path.join(REPO, 'test-results', 'screenshots');

/** 400×200: the left half red, the right half blue — so which part was cropped shows in the result. */
const halfAndHalf = () =>
  sharp({ create: { width: 400, height: 200, channels: 3, background: '#0000ff' } })
    .composite([
      {
        input: { create: { width: 200, height: 200, channels: 3, background: '#ff0000' } },
        left: 0,
        top: 0,
      },
    ])
    .png()
    .toBuffer();

/** The colour at the centre of a loaded image, read through a canvas. */
async function centreColour(image: Locator): Promise<{ r: number; g: number; b: number }> {
  await expect
    .poll(() => image.evaluate((img) => (img as HTMLImageElement).complete && (img as HTMLImageElement).naturalWidth))
    .toBeGreaterThan(0);
  return image.evaluate((img) => {
    const source = img as HTMLImageElement;
    const canvas = document.createElement('canvas');
    canvas.width = source.naturalWidth;
    canvas.height = source.naturalHeight;
    const g = canvas.getContext('2d');
    if (!g) throw new Error('no canvas');
    g.drawImage(source, 0, 0);
    const [r = 0, gr = 0, b = 0] = g.getImageData(Math.floor(canvas.width / 2), Math.floor(canvas.height / 2), 1, 1).data;
    return { r, g: gr, b };
  });
}

const isRed = (c: { r: number; g: number; b: number }) => c.r > 200 && c.g < 60 && c.b < 60;

describe.skipIf(!CHROMIUM_AVAILABLE)('profile photos', () => {
  let ts: TestServer;
  let browser: Browser;
  beforeAll(async () => {
    [ts, browser] = await Promise.all([startAppServer({ JOBS_POLL_MS: '100' }), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await ts?.close();
  });
  afterEach(async (context) => {
    await screenshotOnFailure(context);
    expect(pageErrors).toEqual([]);
  });

  it('crops a new photo to a square with previews; the other person sees the square live in the chat list, a group’s messages and the profile, and a group photo set by its owner', async () => {
    const annAccount = await registerAccount(ts, newAccount('ann'));
    const bobAccount = await registerAccount(ts, newAccount('bob'));
    await Promise.all([setDisplayName(ts, annAccount, 'Ann Archer'), setDisplayName(ts, bobAccount, 'Bob Baker')]);
    const annApi = ts.client();
    await annApi.auth.login({ login: annAccount.username, password: annAccount.password });
    const bobId = (await annApi.users.search(bobAccount.username)).items[0]?.id ?? '';
    const direct = await annApi.chats.openDirect(bobId);
    await annApi.messages.send(direct.id, { clientId: 'avatar-dm-1', text: 'Hi Bob' });
    const group = await annApi.chats.create({ kind: 'group', name: 'Photo club', memberIds: [bobId] });
    await annApi.messages.send(group.id, { clientId: 'avatar-group-1', text: 'Welcome to the club' });

    const ann = await openDevice(browser, ts);
    const bob = await openDevice(browser, ts);
    await Promise.all([
      signIn(ann.page, annAccount.username, annAccount.password),
      signIn(bob.page, bobAccount.username, bobAccount.password),
    ]);
    // Bob reads the group: Ann's initials beside her message, for now.
    await chatLink(bob.page, 'Photo club').click();
    const annInGroup = messageRow(bob.page, 'Welcome to the club').locator('.message-avatar .avatar');
    await annInGroup.waitFor();
    expect(await annInGroup.locator('img').count()).toBe(0);

    // Ann picks a landscape photo: the dialog shows its centred square, half red and half blue.
    await openSettings(ann.page);
    await ann.page.getByLabel('Upload a photo').setInputFiles({ name: 'beach.png', mimeType: 'image/png', buffer: await halfAndHalf() });
    const dialog = ann.page.getByRole('dialog', { name: 'Crop your photo' });
    const stage = dialog.getByRole('group', { name: 'Photo crop area' });
    await stage.locator('img').waitFor();
    expect(await dialog.locator('.avatar-crop-preview img').count()).toBe(2);
    await captureScreen(ann.page, OUT_DIR, 'avatar-crop-desktop-light');

    // Dragging the photo to the right brings its red left half into the circle; + zooms in.
    const box = await stage.boundingBox();
    if (!box) throw new Error('no crop area');
    await ann.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await ann.page.mouse.down();
    await ann.page.mouse.move(box.x + box.width, box.y + box.height / 2, { steps: 5 });
    await ann.page.mouse.up();
    const zoomBefore = Number(await dialog.getByLabel('Zoom').inputValue());
    await stage.focus();
    await ann.page.keyboard.press('+');
    await ann.page.keyboard.press('+');
    expect(Number(await dialog.getByLabel('Zoom').inputValue())).toBeGreaterThan(zoomBefore);
    await dialog.getByRole('button', { name: 'Use this photo' }).click();
    await dialog.waitFor({ state: 'detached' });
    await ann.page.getByRole('button', { name: 'Remove photo' }).waitFor({ timeout: 20_000 });

    // Bob, without reloading: the square beside Ann's group message, red all over (the cropped part).
    const photoInGroup = annInGroup.locator('img.avatar-image');
    await photoInGroup.waitFor({ timeout: 10_000 });
    expect(isRed(await centreColour(photoInGroup))).toBe(true);
    expect(await photoInGroup.evaluate((img) => [(img as HTMLImageElement).naturalWidth, (img as HTMLImageElement).naturalHeight])).toEqual(
      [96, 96],
    );
    // …in his chat list, on their direct chat…
    await chatLink(bob.page, 'Ann Archer').locator('img.avatar-image').waitFor();
    // …and on her profile, opened from her name.
    await messageRow(bob.page, 'Welcome to the club').getByTestId('sender-name').click();
    const profile = bob.page.getByTestId('profile');
    const profilePhoto = profile.locator('.profile-head img.avatar-image');
    await profilePhoto.waitFor();
    expect(isRed(await centreColour(profilePhoto))).toBe(true);
    await bob.page.keyboard.press('Escape');

    // Ann, who owns the group, gives it a photo from its info panel; Bob's list shows it live.
    await chatLink(ann.page, 'Photo club').click();
    await ann.page.getByRole('button', { name: 'Chat info' }).click();
    await ann.page.getByRole('heading', { name: 'Group info' }).waitFor();
    const green = await sharp({ create: { width: 300, height: 300, channels: 3, background: '#00a000' } })
      .png()
      .toBuffer();
    await ann.page.getByLabel('Upload a group photo').setInputFiles({ name: 'club.png', mimeType: 'image/png', buffer: green });
    await ann.page.getByRole('dialog', { name: 'Crop your photo' }).getByRole('button', { name: 'Use this photo' }).click();
    const groupPhoto = chatLink(bob.page, 'Photo club').locator('img.avatar-image');
    await groupPhoto.waitFor({ timeout: 20_000 });
    const colour = await centreColour(groupPhoto);
    expect(colour.g > 120 && colour.r < 60 && colour.b < 60, JSON.stringify(colour)).toBe(true);
    await ann.page.locator('.info-hero img.avatar-image').waitFor();
    await captureScreen(ann.page, OUT_DIR, 'avatar-group-desktop-light');
    // Bob, a plain member, may not change it.
    await chatLink(bob.page, 'Photo club').click();
    await bob.page.getByRole('button', { name: 'Chat info' }).click();
    await bob.page.getByRole('heading', { name: 'Group info' }).waitFor();
    expect(await bob.page.getByLabel('Upload a group photo').count()).toBe(0);

    // On a phone the crop dialog fits the screen too; cancelling keeps the initials.
    const phone = await openDevice(browser, ts, { viewport: 'phone' });
    await signIn(phone.page, bobAccount.username, bobAccount.password);
    await openSettings(phone.page);
    await phone.page.getByLabel('Upload a photo').setInputFiles({ name: 'beach.png', mimeType: 'image/png', buffer: await halfAndHalf() });
    const phoneDialog = phone.page.getByRole('dialog', { name: 'Crop your photo' });
    await phoneDialog.locator('.avatar-crop-stage img').waitFor();
    await captureScreen(phone.page, OUT_DIR, 'avatar-crop-phone-light');
    await phoneDialog.getByRole('button', { name: 'Cancel' }).click();
    await phoneDialog.waitFor({ state: 'detached' });
    expect(await phone.page.getByRole('button', { name: 'Remove photo' }).count()).toBe(0);
  }, 120_000);
});
