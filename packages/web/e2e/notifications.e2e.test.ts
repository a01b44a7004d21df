/**
 * Notifications in Chromium (issue 14): the app is installable (a valid manifest, a
 * service worker); a push delivered to the service worker (DevTools protocol) shows a
 * notification per chat, a close push removes it, and clicking it opens the chat — or,
 * for a reply only in a thread, the thread beside it; with the server down a reload shows
 * Parley's offline screen with the chat list it had; a server without mail promises none;
 * a chat's push level from its info, an email change confirmed first, a reset by the typed
 * code and the missed-message email's unsubscribe link, all through the pages; with
 * REQUIRE_EMAIL_VERIFICATION no sign-in before the emailed link is followed.
 * Screenshots of the verification banner, notification settings (a device listed, then
 * removed) and quiet hours, whose controls must sit inside their sections.
 */
import { createECDH, randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, chromium, type Locator, type Page, type Worker } from 'playwright-core';
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
  startAppServer,
  startRestartableAppServer,
  submitSignUp,
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

/** Pushes delivered to this page's service worker through the DevTools protocol, as a push service would. */
async function pushDelivery(context: BrowserContext, page: Page, origin: string) {
  const cdp = await context.newCDPSession(page);
  const registrations = new Promise<string>((resolve) => {
    cdp.on('ServiceWorker.workerRegistrationUpdated', (event: { registrations: { registrationId: string; scopeURL: string }[] }) => {
      const mine = event.registrations.find((r) => r.scopeURL.startsWith(origin));
      if (mine) resolve(mine.registrationId);
    });
  });
  await cdp.send('ServiceWorker.enable');
  const registrationId = await registrations;
  return (payload: unknown) => cdp.send('ServiceWorker.deliverPushMessage', { origin, registrationId, data: JSON.stringify(payload) });
}

/**
 * Clicks the notification shown: runs the service worker's notificationclick handler on it
 * (no DevTools command clicks a notification, and a synthetic event may not waitUntil).
 */
const clickNotification = (worker: Worker) =>
  worker.evaluate(async () => {
    const scope = self as unknown as {
      registration: { getNotifications(): Promise<unknown[]> };
      notificationClicked(notification: unknown): Promise<void>;
    };
    const [shown] = await scope.registration.getNotifications();
    await scope.notificationClicked(shown);
  });

/** Controls in `section` that stick out of it or overlap one another: a broken layout a screenshot would show. */
const misplacedControls = (section: Locator) =>
  section.evaluate((root) => {
    const edge = root.getBoundingClientRect();
    // Checkboxes are left out: the day chips' boxes lie, invisible, under their labels on purpose.
    const controls = Array.from(root.querySelectorAll('input:not([type="checkbox"]), select, button, label')).filter(
      (element) => element.getBoundingClientRect().width > 0,
    );
    const name = (element: Element) =>
      `${element.tagName.toLowerCase()} "${element.textContent?.trim() || (element as HTMLInputElement).value}"`;
    const problems: string[] = [];
    const boxes = controls.map((element) => ({ element, box: element.getBoundingClientRect() }));
    for (const { element, box } of boxes) {
      if (box.left < edge.left - 0.5 || box.right > edge.right + 0.5) problems.push(`${name(element)} sticks out of the section`);
    }
    for (const [i, a] of boxes.entries()) {
      for (const b of boxes.slice(i + 1)) {
        if (a.element.contains(b.element) || b.element.contains(a.element)) continue;
        const overlap =
          Math.min(a.box.right, b.box.right) - Math.max(a.box.left, b.box.left) > 1 &&
          Math.min(a.box.bottom, b.box.bottom) - Math.max(a.box.top, b.box.top) > 1;
        if (overlap) problems.push(`${name(a.element)} overlaps ${name(b.element)}`);
      }
    }
    return problems;
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
    // A dozen accounts from one address: more than the sign-up limit allows by default.
    [server, browser] = await Promise.all([
      startRestartableAppServer({ SMTP_URL: smtp.url, JOBS_POLL_MS: '100', REGISTER_IP_MAX_ACCOUNTS: '100' }),
      launchChromium(),
    ]);
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
    return { ann, bob, annUser, annClient, bobClient, chat };
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
    const deliver = await pushDelivery(context, page, server.url);
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
    await clickNotification(worker);
    await page.waitForURL(`**/chats/${chat.id}`);
    await page.getByRole('combobox', { name: 'Message' }).waitFor();
    await expect.poll(() => shownNotifications(page)).toEqual([]);
    await context.close();
  });

  it('opens the thread beside its chat from a push about a reply only in it, and from the link such a push carries', async () => {
    const { annClient, annUser, bob, chat } = await twoPeople();
    const root = await annClient.messages.send(chat.id, { clientId: randomUUID(), text: 'Which crag on Saturday?' });
    const reply = await annClient.messages.send(chat.id, { clientId: randomUUID(), text: 'The north face, early', threadRootId: root.id });
    const { context, page } = await openDevice(browser, server);
    await context.grantPermissions(['notifications'], { origin: server.url });
    await signIn(page, bob.username, bob.password);
    const worker = await serviceWorkerOf(context, page);
    const deliver = await pushDelivery(context, page, server.url);
    // What the server pushes for a thread-only reply (modules/push: payload with threadRootId and the thread's link).
    await deliver({
      type: 'message',
      chatId: chat.id,
      messageId: reply.id,
      seq: reply.seq,
      title: annUser.displayName,
      body: 'The north face, early',
      url: `${server.url}/chats/${chat.id}?thread=${root.id}`,
      threadRootId: root.id,
    });
    await expect
      .poll(() => shownNotifications(page))
      .toEqual([{ title: annUser.displayName, body: 'The north face, early', tag: `${chat.id}:${root.id}` }]);
    await clickNotification(worker);
    await page.waitForURL(`**/chats/${chat.id}`);
    const thread = page.getByTestId('thread-panel');
    await thread.getByText('The north face, early').waitFor();
    await thread.getByText('Which crag on Saturday?').waitFor();

    // A window the service worker opens (no Parley tab was open) loads the link: the thread opens there too.
    await page.goto('/');
    await page.getByRole('heading', { name: 'Chats' }).waitFor();
    expect(await thread.count()).toBe(0);
    await page.goto(`/chats/${chat.id}?thread=${root.id}`);
    await thread.getByText('The north face, early').waitFor();
    // The query served its purpose: a reload shows the chat as usual.
    await expect.poll(() => new URL(page.url()).search).toBe('');
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

    // A phone that subscribed to pushes (its browser's subscription, as the app registers it).
    const phoneKeys = createECDH('prime256v1');
    phoneKeys.generateKeys();
    await client.notifications.subscribePush({
      endpoint: 'https://push.example.org/send/mia-phone',
      keys: { p256dh: phoneKeys.getPublicKey().toString('base64url'), auth: randomBytes(16).toString('base64url') },
      deviceName: 'Chrome · Android',
    });
    await openSettings(page);
    const notifications = page.getByRole('region', { name: 'Notifications' });
    await notifications.getByText('Push notifications on this device').waitFor();
    await notifications.getByText('Chrome · Android').waitFor();
    await notifications.getByLabel('Email me after').selectOption('30');
    expect(await misplacedControls(notifications)).toEqual([]);
    await capture(notifications, 'notification-settings-desktop-light');
    // Removing the phone from the list stops its pushes: the server forgets it.
    await notifications.getByRole('button', { name: 'Stop notifications on Chrome · Android' }).click();
    await notifications.getByText('No devices yet.').waitFor();
    expect((await client.notifications.pushDevices()).items).toEqual([]);

    const quiet = page.getByRole('region', { name: 'Quiet hours' });
    await quiet.getByRole('button', { name: 'Add quiet hours' }).click();
    await quiet.getByRole('button', { name: 'Save schedule' }).click();
    await quiet.getByText('Saved on all your devices.').waitFor();
    await quiet.getByRole('button', { name: 'For 1 hour' }).click();
    await quiet.getByText(/^Do not disturb until/).waitFor();
    expect(await misplacedControls(quiet)).toEqual([]);
    await capture(quiet, 'quiet-hours-desktop-light');
    // Synced: the settings the server now holds.
    const settings = await client.notifications.settings();
    expect(settings).toMatchObject({
      digestDelayMinutes: 30,
      quietHours: expect.arrayContaining([{ day: 1, start: 1320, end: 420 }]),
      quietNow: true,
    });
    // Turned off on another device (this API client): the open settings follow at once.
    await client.notifications.updateSettings({ doNotDisturbUntil: null });
    await quiet.getByRole('button', { name: 'For 1 hour' }).waitFor();
    expect(await quiet.getByText(/^Do not disturb until/).count()).toBe(0);
    await context.close();
  });

  it('fits the notification and quiet-hours settings on a phone', async () => {
    const account = await registerAccount(server, newAccount('phone'));
    const { context, page } = await openDevice(browser, server, { viewport: 'phone', touch: true });
    await signIn(page, account.username, account.password);
    await page.goto('/settings');
    const quiet = page.getByRole('region', { name: 'Quiet hours' });
    await quiet.getByRole('button', { name: 'Add quiet hours' }).click();
    const notifications = page.getByRole('region', { name: 'Notifications' });
    await notifications.getByLabel('Email me after').waitFor();
    expect(await misplacedControls(notifications)).toEqual([]);
    expect(await misplacedControls(quiet)).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
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

  it('sets a chat’s notifications from its info, and changes the email from settings only once the new address confirms', async () => {
    const { bob, bobClient, chat } = await twoPeople();
    const { context, page } = await openDevice(browser, server);
    await signIn(page, bob.username, bob.password);
    await page.goto(`/chats/${chat.id}`);
    await page.getByRole('button', { name: 'Chat info' }).click();
    await page.getByLabel('Notify me about').selectOption('nothing');
    await expect
      .poll(async () => (await bobClient.notifications.chatLevels()).items)
      .toEqual([{ chatId: chat.id, level: 'nothing', effective: 'nothing' }]);

    await openSettings(page);
    const emailSection = page.getByRole('region', { name: 'Email address' });
    const newEmail = `moved.${bob.email}`;
    await emailSection.getByLabel('New email address').fill(newEmail);
    await emailSection.getByLabel('Your password').fill(bob.password);
    await emailSection.getByRole('button', { name: 'Send confirmation link' }).click();
    await emailSection.getByText(`We sent a link to ${newEmail}. Your address changes once you follow it.`).waitFor();
    expect((await bobClient.users.me()).email).toBe(bob.email);
    const link = /(\/verify-email\?token=[\w-]+)/.exec((await smtp.next(newEmail)).text ?? '')?.[1] ?? '';
    await page.goto(link);
    await page.getByText('Your email address is confirmed.').waitFor();
    expect(await bobClient.users.me()).toMatchObject({ email: newEmail, emailVerified: true });
    await context.close();
  });

  it('resets a password with the code typed from the email, and stops missed-message emails from their link', async () => {
    // A server of this test's own, so the test can make time pass for the missed-message email.
    const mailing = await startAppServer({ SMTP_URL: smtp.url, JOBS_POLL_MS: '50' });
    try {
      const account = await registerAccount(mailing, newAccount('coder'));
      await smtp.next(account.email);
      const { context, page } = await openDevice(browser, mailing);
      await page.goto('/forgot-password');
      await page.getByLabel('Email').fill(account.email);
      await page.getByRole('button', { name: 'Send reset email' }).click();
      await page.getByRole('link', { name: 'I have a code' }).click();
      const code = /(\d{4} \d{4})/.exec((await smtp.next(account.email)).text ?? '')?.[1] ?? '';
      expect(await page.getByLabel('Email', { exact: true }).inputValue()).toBe(account.email);
      await page.getByLabel('Code from the email').fill(code === '0000 0000' ? '1111 1111' : '0000 0000');
      await page.getByLabel('New password').fill('typed from the email');
      await page.getByRole('button', { name: 'Set new password' }).click();
      await page.getByText('This link or code is no longer valid').waitFor();
      await page.getByLabel('Code from the email').fill(code);
      await page.getByRole('button', { name: 'Set new password' }).click();
      await page.getByText('Your password is changed. Sign in with it.').waitFor();
      await signIn(page, account.username, 'typed from the email');
      await context.close();

      // A direct message left unread (its reader has no device connected) becomes an email once the delay has passed.
      const writer = mailing.client();
      const reader = mailing.client();
      const readerAccount = newAccount('reader');
      const { user: readerUser } = await reader.auth.register({
        email: readerAccount.email,
        username: readerAccount.username,
        password: readerAccount.password,
      });
      await smtp.next(readerAccount.email);
      await writer.auth.login({ login: account.username, password: 'typed from the email' });
      const dm = await writer.chats.openDirect(readerUser.id);
      await writer.messages.send(dm.id, { clientId: randomUUID(), text: 'Are you still coming?' });
      const db = mailing.server.storage.db;
      await mailing.server.services.notify.push.flush();
      await expect.poll(async () => (await db.selectFrom('jobs').select('id').where('kind', '=', 'push.message').execute()).length).toBe(0);
      await db
        .updateTable('messages')
        .set((eb) => ({ created_at: eb('created_at', '-', 20 * 60_000) }))
        .execute();
      await db.updateTable('jobs').set({ run_at: 0 }).where('kind', '=', 'mail.digest').execute();
      const digest = await smtp.next(readerAccount.email);
      expect(digest.text).toContain('Are you still coming?');
      const unsubscribe = /(\/unsubscribe\?token=[\w.-]+)/.exec(digest.text ?? '')?.[1] ?? '';
      expect(String(digest.html)).toContain(unsubscribe);

      // Signed out, on any browser: the email's "stop these emails" link, one button.
      const stranger = await openDevice(browser, mailing);
      await stranger.page.goto(unsubscribe);
      await stranger.page.getByText('Stop emails about messages you haven’t read?').waitFor();
      await stranger.page.getByRole('button', { name: 'Unsubscribe' }).click();
      await stranger.page.getByText('You won’t get missed-message emails any more.').waitFor();
      expect((await reader.notifications.settings()).emailDigest).toBe(false);
      await stranger.page.goto(`${unsubscribe.split('.')[0]}.forged`);
      await stranger.page.getByRole('button', { name: 'Unsubscribe' }).click();
      await stranger.page.getByText('This unsubscribe link is not valid.').waitFor();
      await stranger.context.close();
    } finally {
      await mailing.close();
    }
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

  it('with REQUIRE_EMAIL_VERIFICATION, signs in only once the emailed link is followed (a new link asked for from the sign-in)', async () => {
    const gated = await startAppServer({ SMTP_URL: smtp.url, JOBS_POLL_MS: '50', REQUIRE_EMAIL_VERIFICATION: 'true' });
    try {
      const account = newAccount('gated');
      const { context, page } = await openDevice(browser, gated);
      await submitSignUp(page, account);
      await page.getByText(`follow the link we sent to ${account.email}, then sign in`).waitFor();
      const first = await smtp.next(account.email);

      await page.goto('/signin');
      await page.getByLabel('Username or email').fill(account.email);
      await page.getByLabel('Password', { exact: true }).fill(account.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByText(`follow the link we sent to ${account.email}, then sign in`).waitFor();
      expect(await page.getByRole('heading', { name: 'Chats' }).count()).toBe(0);
      await page.getByRole('button', { name: 'Send the link again' }).click();
      await page.getByText('If that address has an unconfirmed account, a new link is on its way.').waitFor();
      const second = await smtp.next(account.email);
      expect(second.text).not.toBe(first.text);

      const link = /(\/verify-email\?token=[\w-]+)/.exec(second.text ?? '')?.[1] ?? '';
      await page.goto(link);
      await page.getByText('Your email address is confirmed.').waitFor();
      await signIn(page, account.username, account.password);
      await context.close();
    } finally {
      await gated.close();
    }
  });

  it('without SMTP_URL promises no email: the sign-up form says so, and there is no password reset by mail', async () => {
    const mailless = await startAppServer();
    try {
      const { context, page } = await openDevice(browser, mailless);
      await page.goto('/signup');
      await page.getByText('This server doesn’t send email, so the address won’t be confirmed.').waitFor();
      expect(await page.getByText('We’ll send a link to confirm it.').count()).toBe(0);
      // Asked only once the server has said whether it sends mail, so the link could have shown by then.
      const info = page.waitForResponse((response) => response.url().endsWith('/api/v1/server-info'));
      await page.goto('/signin');
      await info;
      await page.getByRole('button', { name: 'Sign in' }).waitFor();
      await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
      expect(await page.getByRole('link', { name: 'Forgot password?' }).count()).toBe(0);
      await page.goto('/forgot-password');
      await page.getByText('This server doesn’t send email, so passwords can’t be reset here. Ask whoever runs it.').waitFor();
      expect(await page.getByRole('button', { name: 'Send reset email' }).count()).toBe(0);
      await context.close();
    } finally {
      await mailless.close();
    }
  });
});
