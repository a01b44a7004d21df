/**
 * Notifications in Chromium (issue 14): the app is installable (a valid manifest, a
 * service worker); a push delivered to the service worker (DevTools protocol) shows a
 * notification per chat, a close push removes it, and clicking it opens the chat; with
 * the server down a reload shows Parley's offline screen with the chat list it had.
 * Screenshots of the verification banner, notification settings and quiet hours.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, chromium, type Page, type Worker } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type SmtpSink, startSmtpSink } from '../../server/src/test/smtp-sink.js';
import {
  CHROMIUM_AVAILABLE,
  CHROMIUM_PATH,
  chatLink,
  launchChromium,
  newAccount,
  openDevice,
  openSettings,
  pageErrors,
  type RestartableServer,
  registerAccount,
  screenshotOnFailure,
  setDisplayName,
  signIn,
  startRestartableAppServer,
} from './harness.js';

const REPO = fileURLToPath(new URL('../../..', import.meta.url));
const OUT_DIR =
  process.env.PARLEY_SCREENSHOTS === '1' ? path.join(REPO, 'docs', 'screenshots') : path.join(REPO, 'test-results', 'screenshots');

async function serviceWorkerOf(context: BrowserContext, page: Page): Promise<Worker> {
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
  return context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
}

/** The notifications the service worker is showing now. */
const shownNotifications = (page: Page) =>
  page.evaluate(async () => {
    const registration = await navigator.serviceWorker.ready;
    return (await registration.getNotifications()).map((n) => ({ title: n.title, body: n.body, tag: n.tag }));
  });

async function capture(locator: ReturnType<Page['locator']>, name: string) {
  fs.mkdirSync(OUT_DIR, { recursive: true });
  await locator.page().evaluate(() => document.fonts.ready.then(() => undefined));
  await locator.page().mouse.move(1, 1);
  await locator.screenshot({ path: path.join(OUT_DIR, `${name}.png`), animations: 'disabled', caret: 'hide' });
}

describe.skipIf(!CHROMIUM_AVAILABLE)('notifications, install and offline', () => {
  let smtp: SmtpSink;
  let server: RestartableServer;
  let browser: Browser;
  beforeAll(async () => {
    smtp = await startSmtpSink();
    [server, browser] = await Promise.all([startRestartableAppServer({ SMTP_URL: smtp.url, JOBS_POLL_MS: '100' }), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await smtp?.close();
  });
  afterEach(async (context) => {
    await screenshotOnFailure(context);
    // With the server down the browser logs failed requests; that is the point of the offline test.
    pageErrors.splice(
      0,
      pageErrors.length,
      ...pageErrors.filter((e) => !/ERR_CONNECTION_REFUSED|ERR_FAILED|WebSocket connection/.test(e.message)),
    );
    expect(pageErrors).toEqual([]);
  });

  async function twoPeople() {
    const ann = await registerAccount(server, newAccount('ann'));
    const bob = await registerAccount(server, newAccount('bob'));
    await setDisplayName(server, bob, 'Bob Baker');
    const bobClient = server.client();
    const { user: bobUser } = await bobClient.auth.login({ login: bob.username, password: bob.password });
    const annClient = server.client();
    const { user: annUser } = await annClient.auth.login({ login: ann.username, password: ann.password });
    const chat = await annClient.chats.openDirect(bobUser.id);
    return { ann, bob, annUser, bobClient, chat };
  }

  it('is installable: a valid manifest with icons, and a service worker controlling the page', async () => {
    const account = await registerAccount(server, newAccount('installer'));
    // Chrome never offers to install from an incognito profile, which every ordinary test context is.
    const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-install-'));
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
      baseURL: server.url,
      locale: 'en-US',
    });
    try {
      const page = context.pages()[0] ?? (await context.newPage());
      await signIn(page, account.username, account.password);
      await serviceWorkerOf(context, page);
      const cdp = await context.newCDPSession(page);
      const manifest = (await cdp.send('Page.getAppManifest')) as { errors: unknown[]; url: string; data?: string };
      expect(manifest.errors).toEqual([]);
      expect(manifest.url).toMatch(/\/manifest\.webmanifest$/);
      expect(JSON.parse(manifest.data ?? '{}')).toMatchObject({ name: 'Parley', display: 'standalone', start_url: '/' });
      const installability = (await cdp.send('Page.getInstallabilityErrors')) as { installabilityErrors: unknown[] };
      expect(installability.installabilityErrors).toEqual([]);
    } finally {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    }
  });

  it('shows a pushed message as a notification per chat, closes it when read elsewhere, and opens the chat on click', async () => {
    const { annUser, bob, chat } = await twoPeople();
    const { context, page } = await openDevice(browser, server);
    await context.grantPermissions(['notifications'], { origin: server.url });
    await signIn(page, bob.username, bob.password);
    const worker = await serviceWorkerOf(context, page);

    const cdp = await context.newCDPSession(page);
    const registrations = new Promise<string>((resolve) => {
      cdp.on('ServiceWorker.workerRegistrationUpdated', (event: { registrations: { registrationId: string; scopeURL: string }[] }) => {
        const mine = event.registrations.find((r) => r.scopeURL.startsWith(server.url));
        if (mine) resolve(mine.registrationId);
      });
    });
    await cdp.send('ServiceWorker.enable');
    const registrationId = await registrations;
    const deliver = (payload: unknown) =>
      cdp.send('ServiceWorker.deliverPushMessage', { origin: server.url, registrationId, data: JSON.stringify(payload) });
    const message = (seq: number, body: string) => ({
      type: 'message',
      chatId: chat.id,
      messageId: `m${seq}`,
      seq,
      title: annUser.displayName,
      body,
      url: `${server.url}/chats/${chat.id}`,
    });

    await deliver(message(1, 'Lunch at noon?'));
    await expect.poll(() => shownNotifications(page)).toEqual([{ title: annUser.displayName, body: 'Lunch at noon?', tag: chat.id }]);
    // One per chat: the newer message replaces the older one.
    await deliver(message(2, 'Or at one?'));
    await expect.poll(() => shownNotifications(page)).toEqual([{ title: annUser.displayName, body: 'Or at one?', tag: chat.id }]);
    await deliver({ type: 'close', chatId: chat.id });
    await expect.poll(() => shownNotifications(page)).toEqual([]);

    await deliver(message(3, 'See you there'));
    await expect.poll(() => shownNotifications(page)).toHaveLength(1);
    expect(page.url()).not.toContain(chat.id);
    // What the notificationclick handler does with the notification the person clicked.
    await worker.evaluate(async () => {
      const scope = self as unknown as {
        registration: { getNotifications(): Promise<{ data: unknown; close(): void }[]> };
        openChat(data: unknown): Promise<unknown>;
      };
      const [shown] = await scope.registration.getNotifications();
      shown?.close();
      await scope.openChat(shown?.data);
    });
    await page.waitForURL(`**/chats/${chat.id}`);
    await page.getByRole('combobox', { name: 'Message' }).waitFor();
    await context.close();
  });

  it('shows the verification banner, notification settings and quiet hours (screenshots)', async () => {
    const account = newAccount('screens');
    const client = server.client();
    await client.auth.register({ email: account.email, username: account.username, password: account.password, displayName: 'Mia Chen' });
    await smtp.next(account.email);
    const { context, page } = await openDevice(browser, server);
    await signIn(page, account.username, account.password);
    const banner = page.locator('.verification-banner');
    await banner.getByText(`we sent a link to ${account.email}`).waitFor();
    await capture(page.locator('.app-frame'), 'verification-banner-desktop-light');
    await banner.getByRole('button', { name: 'Send the link again' }).click();
    await banner.getByRole('button', { name: 'Sent. Check your inbox.' }).waitFor();
    expect((await smtp.next(account.email)).subject).toBe('Confirm your email address for Parley');

    await openSettings(page);
    const notifications = page.getByRole('region', { name: 'Notifications' });
    await notifications.getByText('Push notifications on this device').waitFor();
    await notifications.getByLabel('Email me after').selectOption('30');
    await capture(notifications, 'notification-settings-desktop-light');

    const quiet = page.getByRole('region', { name: 'Quiet hours' });
    await quiet.getByRole('button', { name: 'Add quiet hours' }).click();
    await quiet.getByRole('button', { name: 'Save schedule' }).click();
    await quiet.getByText('Saved on all your devices.').waitFor();
    await quiet.getByRole('button', { name: 'For 1 hour' }).click();
    await quiet.getByText(/^Do not disturb until/).waitFor();
    await capture(quiet, 'quiet-hours-desktop-light');
    // Synced: the settings the server now holds.
    const settings = await client.notifications.settings();
    expect(settings).toMatchObject({
      digestDelayMinutes: 30,
      quietHours: expect.arrayContaining([{ day: 1, start: 1320, end: 420 }]),
      quietNow: true,
    });
    await context.close();
  });

  it('resets a forgotten password from the emailed link; the verification link confirms once', async () => {
    const account = await registerAccount(server, newAccount('forgets'));
    const verification = await smtp.next(account.email);
    const { context, page } = await openDevice(browser, server);
    await page.goto('/signin');
    await page.getByRole('link', { name: 'Forgot password?' }).click();
    await page.getByLabel('Email').fill(account.email);
    await page.getByRole('button', { name: 'Send reset email' }).click();
    await page.getByText(`If an account uses ${account.email}`).waitFor();
    const reset = await smtp.next(account.email);
    const resetLink = /(\/reset-password\?token=[\w-]+)/.exec(reset.text ?? '')?.[1] ?? '';
    await page.goto(resetLink);
    await page.getByLabel('New password').fill('a fresh new password');
    await page.getByRole('button', { name: 'Set new password' }).click();
    await page.getByText('Your password is changed. Sign in with it.').waitFor();
    await signIn(page, account.username, 'a fresh new password');
    // Following the reset link proved the address: no banner.
    expect(await page.locator('.verification-banner').count()).toBe(0);
    const verifyLink = /(\/verify-email\?token=[\w-]+)/.exec(verification.text ?? '')?.[1] ?? '';
    await page.goto(verifyLink);
    await page.getByText('Your email address is confirmed.').waitFor();
    await page.getByRole('link', { name: 'Continue to Parley' }).click();
    await page.getByRole('heading', { name: 'Chats' }).waitFor();
    // Single use.
    await page.goto(verifyLink);
    await page.getByText('This link is no longer valid').waitFor();
    await context.close();
  });

  it('reloading with the server down shows Parley’s offline screen with the chat list it had', async () => {
    const { ann, bob } = await twoPeople();
    const { context, page } = await openDevice(browser, server);
    await signIn(page, bob.username, bob.password);
    await serviceWorkerOf(context, page);
    // Once the worker controls the page, its next chat-list load is kept for offline use.
    await page.reload();
    await chatLink(page, ann.username).waitFor();
    await expect.poll(() => page.evaluate(async () => ((await caches.match('/offline/chats')) ? 'kept' : 'missing'))).toBe('kept');

    await server.stop();
    await page.reload();
    await page.getByRole('heading', { name: 'You’re offline' }).waitFor();
    await expect.poll(() => page.locator('[data-chats] li').count()).toBe(1);
    expect(await page.locator('[data-chats] li').first().textContent()).toBe(ann.username);

    await server.start();
    await page.getByRole('button', { name: 'Try again' }).click();
    await page.getByRole('heading', { name: 'Chats' }).waitFor();
    await context.close();
  });
});
