/**
 * A message sent while its files are still uploading (issue 11): it appears at once in the
 * sender's chat as pending, with each file's progress, cancel and retry, and reaches the
 * other person when the uploads are done — without the files that were cancelled; a
 * message of nothing but cancelled files is dropped. The uploads are held back (or made to
 * fail) by intercepting their PATCH requests, so nothing depends on timing. Screenshot of
 * the pending message.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page, Route } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../../server/src/test/test-server.js';
import { captureScreen } from './capture.js';
import {
  CHROMIUM_AVAILABLE,
  chatLink,
  composer,
  launchChromium,
  messageRow,
  newAccount,
  openDevice,
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

/** Holds every upload PATCH until `release()`; `fail()` answers the held ones (and later ones) with a final 400 instead. */
async function holdUploads(page: Page) {
  const held: Route[] = [];
  let mode: 'hold' | 'pass' | 'fail' = 'hold';
  const answer = (route: Route) =>
    mode === 'fail'
      ? route.fulfill({ status: 400, contentType: 'application/json', body: '{"error":{"code":"validation_failed","message":"held"}}' })
      : route.continue();
  await page.route('**/api/v1/uploads/*', async (route) => {
    if (route.request().method() !== 'PATCH' || mode === 'pass') return route.continue();
    if (mode === 'fail') return answer(route);
    held.push(route);
  });
  return {
    heldCount: () => held.length,
    async release() {
      mode = 'pass';
      for (const route of held.splice(0)) await route.continue();
    },
    async fail() {
      mode = 'fail';
      for (const route of held.splice(0)) await answer(route);
    },
    hold() {
      mode = 'hold';
    },
  };
}

const attach = (page: Page, files: { name: string; bytes: number }[]) =>
  page
    .locator('input[type="file"][aria-label="Attach files"]')
    .setInputFiles(files.map((f) => ({ name: f.name, mimeType: 'application/octet-stream', buffer: randomBytes(f.bytes) })));

describe.skipIf(!CHROMIUM_AVAILABLE)('a message sent while its files upload', () => {
  let ts: TestServer;
  let browser: Browser;
  beforeAll(async () => {
    [ts, browser] = await Promise.all([startAppServer(), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await ts?.close();
  });
  afterEach(async (context) => {
    await screenshotOnFailure(context);
    expect(pageErrors).toEqual([]);
  });

  it('shows at once as pending with progress, cancel and retry, and arrives when its files are done', async () => {
    const annAccount = await registerAccount(ts, newAccount('ann'));
    const bobAccount = await registerAccount(ts, newAccount('bob'));
    await Promise.all([setDisplayName(ts, annAccount, 'Ann Archer'), setDisplayName(ts, bobAccount, 'Bob Baker')]);
    const annApi = ts.client();
    await annApi.auth.login({ login: annAccount.username, password: annAccount.password });
    const bobId = (await annApi.users.search(bobAccount.username)).items[0]?.id ?? '';
    const direct = await annApi.chats.openDirect(bobId);
    await annApi.messages.send(direct.id, { clientId: 'pending-upload-hello', text: 'Files coming' });

    const ann = await openDevice(browser, ts);
    const bob = await openDevice(browser, ts);
    await Promise.all([
      signIn(ann.page, annAccount.username, annAccount.password),
      signIn(bob.page, bobAccount.username, bobAccount.password),
    ]);
    await Promise.all([chatLink(ann.page, 'Bob Baker').click(), chatLink(bob.page, 'Ann Archer').click()]);
    const gate = await holdUploads(ann.page);

    // Sent while the upload is held: the message is in Ann's chat at once, pending, with its file's progress.
    await attach(ann.page, [{ name: 'holiday.bin', bytes: 300_000 }]);
    await expect.poll(() => gate.heldCount()).toBe(1);
    await composer(ann.page).fill('The holiday pictures');
    await composer(ann.page).press('Enter');
    const pending = messageRow(ann.page, 'The holiday pictures');
    await pending.waitFor();
    expect(await pending.getAttribute('data-pending')).toBe('true');
    await pending.locator('.pending-upload', { hasText: 'holiday.bin' }).getByRole('progressbar').waitFor();
    await pending.getByText('Sends when the files are uploaded').waitFor();
    // The composer is free for the next message.
    expect(await ann.page.locator('.attachment-tray').count()).toBe(0);
    await captureScreen(ann.page, OUT_DIR, 'attachments-pending-desktop-light');
    expect(await messageRow(bob.page, 'The holiday pictures').count()).toBe(0);

    // The upload goes on: the message is sent with its file, and Bob gets both.
    await gate.release();
    await messageRow(bob.page, 'The holiday pictures')
      .getByRole('link', { name: /^Download holiday\.bin/ })
      .waitFor();
    await expect.poll(() => pending.getAttribute('data-pending')).toBeNull();

    // Two files, one cancelled while it uploads: the message goes with the other.
    gate.hold();
    await attach(ann.page, [
      { name: 'keep.bin', bytes: 200_000 },
      { name: 'drop.bin', bytes: 200_000 },
    ]);
    await expect.poll(() => gate.heldCount()).toBe(2);
    await composer(ann.page).fill('Only one of two');
    await composer(ann.page).press('Enter');
    const twoFiles = messageRow(ann.page, 'Only one of two');
    await twoFiles.locator('.pending-upload', { hasText: 'drop.bin' }).getByRole('button', { name: 'Cancel upload' }).click();
    await twoFiles.locator('.pending-upload', { hasText: 'drop.bin' }).waitFor({ state: 'detached' });
    await gate.release();
    const bobsTwo = messageRow(bob.page, 'Only one of two');
    await bobsTwo.getByRole('link', { name: /^Download keep\.bin/ }).waitFor();
    expect(await bobsTwo.getByRole('link', { name: /drop\.bin/ }).count()).toBe(0);

    // A failed upload waits in the bubble for "Try again", then the message goes.
    gate.hold();
    await attach(ann.page, [{ name: 'flaky.bin', bytes: 100_000 }]);
    await expect.poll(() => gate.heldCount()).toBe(1);
    await composer(ann.page).fill('After a retry');
    await composer(ann.page).press('Enter');
    await gate.fail();
    const retried = messageRow(ann.page, 'After a retry');
    await retried.getByText('Upload failed').waitFor();
    gate.hold();
    await gate.release();
    await retried.getByRole('button', { name: 'Try again' }).click();
    await messageRow(bob.page, 'After a retry')
      .getByRole('link', { name: /^Download flaky\.bin/ })
      .waitFor();

    // Nothing but a file, cancelled: the message is dropped and never reaches Bob.
    gate.hold();
    await attach(ann.page, [{ name: 'never.bin', bytes: 100_000 }]);
    await expect.poll(() => gate.heldCount()).toBe(1);
    await composer(ann.page).press('Enter');
    const lonely = ann.page.locator('.message-row[data-pending="true"]', {
      has: ann.page.locator('.pending-upload', { hasText: 'never.bin' }),
    });
    await lonely.waitFor();
    await lonely.getByRole('button', { name: 'Cancel upload' }).click();
    await lonely.waitFor({ state: 'detached' });
    await gate.release();
    await ann.page.waitForTimeout(500);
    expect(await bob.page.getByText('never.bin').count()).toBe(0);
  }, 90_000);
});
