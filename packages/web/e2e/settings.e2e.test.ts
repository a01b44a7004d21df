import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../../server/src/test/test-server.js';
import {
  CHROMIUM_AVAILABLE,
  launchChromium,
  newAccount,
  openDevice,
  openSettings,
  pageErrors,
  registerAccount,
  signIn,
  startAppServer,
} from './harness.js';

describe.skipIf(!CHROMIUM_AVAILABLE)('settings in the browser', () => {
  let ts: TestServer;
  let browser: Browser;
  beforeAll(async () => {
    [ts, browser] = await Promise.all([startAppServer(), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await ts?.close();
  });
  afterEach(() => expect(pageErrors).toEqual([]));

  it('edits the display name, status line and bio; the header shows the new name, and it persists', async () => {
    const account = await registerAccount(ts, newAccount('profile'));
    const { context, page } = await openDevice(browser, ts);
    await signIn(page, account.username, account.password);
    await openSettings(page);
    expect(new URL(page.url()).pathname).toBe('/settings');

    const save = page.getByRole('button', { name: 'Save profile' });
    expect(await save.isDisabled()).toBe(true);
    await page.getByLabel('Display name').fill('Ada Lovelace 🧮');
    await page.getByLabel('Status').fill('Counting <b>engines</b>');
    await page.getByLabel('Bio').fill('First programmer.\nNotes on the Analytical Engine.');
    await save.click();
    await page.getByText('Profile saved.').waitFor();
    expect(await page.getByTestId('my-name').textContent()).toBe('Ada Lovelace 🧮');
    // Text is text: markup typed by a person is shown as typed, never interpreted.
    await page.getByText('Counting <b>engines</b>').first().waitFor();
    expect(await page.locator('b').count()).toBe(0);

    const me = ts.client();
    await me.auth.login({ login: account.username, password: account.password });
    expect(await me.users.me()).toMatchObject({
      displayName: 'Ada Lovelace 🧮',
      statusText: 'Counting <b>engines</b>',
      bio: 'First programmer.\nNotes on the Analytical Engine.',
    });

    await page.reload();
    await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();
    expect(await page.getByLabel('Display name').inputValue()).toBe('Ada Lovelace 🧮');
    await context.close();
  });

  it('changes the password: this device stays signed in, another device’s session ends', async () => {
    const account = await registerAccount(ts, newAccount('pw'));
    const laptop = await openDevice(browser, ts);
    const phone = await openDevice(browser, ts, { viewport: 'phone' });
    await signIn(laptop.page, account.username, account.password);
    await signIn(phone.page, account.email, account.password);

    await openSettings(laptop.page);
    await laptop.page.getByRole('listitem').filter({ hasText: 'This device' }).waitFor();
    await expect.poll(() => laptop.page.locator('.session-row').count()).toBe(2);
    await laptop.page.getByLabel('Current password').fill(account.password);
    await laptop.page.getByLabel('New password').fill('a brand new passphrase');
    await laptop.page.getByRole('button', { name: 'Change password' }).click();
    await laptop.page.getByText('Password changed. You were signed out on every other device.').waitFor();
    await expect.poll(() => laptop.page.locator('.session-row').count()).toBe(1);

    // The phone finds out at once: the server closes its live connection (4003).
    await phone.page.getByText('Your session has ended. Sign in again to continue.').waitFor();
    expect(new URL(phone.page.url()).pathname).toBe('/signin');

    await phone.page.getByLabel('Username or email').fill(account.username);
    await phone.page.getByLabel('Password', { exact: true }).fill('a brand new passphrase');
    await phone.page.getByRole('button', { name: 'Sign in' }).click();
    await phone.page.getByText('No conversations yet').waitFor();
    await laptop.context.close();
    await phone.context.close();
  });

  it('refuses a wrong current password next to that field', async () => {
    const account = await registerAccount(ts, newAccount('wrongpw'));
    const { context, page } = await openDevice(browser, ts);
    await signIn(page, account.username, account.password);
    await openSettings(page);
    await page.getByLabel('Current password').fill('definitely not it');
    await page.getByLabel('New password').fill('another fine passphrase');
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByText('The password is not correct.').waitFor();
    expect(await page.getByLabel('Current password').getAttribute('aria-invalid')).toBe('true');
    // A wrong password is not a lost session.
    expect(new URL(page.url()).pathname).toBe('/settings');
    await context.close();
  });

  it('lists sessions with this device marked, and revokes another one', async () => {
    const account = await registerAccount(ts, newAccount('revoke'));
    const mine = await openDevice(browser, ts);
    const other = await openDevice(browser, ts);
    await signIn(mine.page, account.username, account.password);
    await signIn(other.page, account.username, account.password);

    await openSettings(mine.page);
    const rows = mine.page.locator('.session-row');
    await expect.poll(() => rows.count()).toBe(2);
    expect(await rows.first().textContent()).toContain('This device');
    expect(await rows.first().getByRole('button').count()).toBe(0);
    await rows
      .nth(1)
      .getByRole('button', { name: /^Revoke session on Chrome on Linux/ })
      .click();
    await mine.page.getByText('Session revoked.').waitFor();
    await expect.poll(() => rows.count()).toBe(1);

    await other.page.reload();
    await other.page.getByRole('heading', { name: 'Sign in to Parley' }).waitFor();
    await mine.context.close();
    await other.context.close();
  });

  it('switches the theme, keeps it after a reload, and follows the system when asked to', async () => {
    const account = await registerAccount(ts, newAccount('theme'));
    const { context, page } = await openDevice(browser, ts, { colorScheme: 'light' });
    await signIn(page, account.username, account.password);
    const theme = () => page.evaluate(() => document.documentElement.dataset.theme);
    const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(await theme()).toBe('light');
    const lightBackground = await background();

    await openSettings(page);
    await page.getByRole('radio', { name: 'Dark' }).check();
    expect(await theme()).toBe('dark');
    expect(await background()).not.toBe(lightBackground);
    await page.reload();
    await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();
    expect(await theme()).toBe('dark');
    expect(await page.getByRole('radio', { name: 'Dark' }).isChecked()).toBe(true);

    await page.getByRole('radio', { name: 'System' }).check();
    expect(await theme()).toBe('light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect.poll(theme).toBe('dark');

    const sound = page.getByRole('switch', { name: 'Notification sounds' });
    expect(await sound.isChecked()).toBe(true);
    await sound.uncheck();
    await page.reload();
    await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();
    expect(await page.getByRole('switch', { name: 'Notification sounds' }).isChecked()).toBe(false);
    expect(await page.evaluate(() => localStorage.getItem('parley.sound'))).toBe('off');
    await context.close();
  });

  it('on a phone shows one pane at a time, with Back from settings to the chat list', async () => {
    const account = await registerAccount(ts, newAccount('phone'));
    const { context, page } = await openDevice(browser, ts, { viewport: 'phone' });
    await signIn(page, account.username, account.password);
    expect(await page.getByText('No conversation open').isVisible()).toBe(false);
    await openSettings(page);
    expect(await page.getByText('No conversations yet').isVisible()).toBe(false);
    await page.getByRole('button', { name: 'Back' }).click();
    await page.getByText('No conversations yet').waitFor();
    expect(new URL(page.url()).pathname).toBe('/');
    // Nothing is wider than the screen.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await context.close();
  });

  it('offers a reload when the settings screen cannot be downloaded (the server was updated meanwhile)', async () => {
    const account = await registerAccount(ts, newAccount('stale'));
    const { context, page } = await openDevice(browser, ts);
    await signIn(page, account.username, account.password);
    await page.route(/\/assets\/SettingsView-[^/]*\.js$/, (route) => route.abort());
    await page.getByRole('button', { name: 'Account menu' }).click();
    await page.getByRole('menuitem', { name: 'Settings' }).click();
    await page.getByRole('alert').getByText('This screen didn’t load').waitFor();
    // The rest of the app still works.
    await page.getByText('No conversations yet').waitFor();
    // React reports the failed import to the console; that error is the one this test causes.
    expect(pageErrors.every((error) => /dynamically imported module|Failed to fetch/i.test(error.message))).toBe(true);
    pageErrors.length = 0;

    await page.unroute(/\/assets\/SettingsView-[^/]*\.js$/);
    await page.getByRole('button', { name: 'Reload' }).click();
    await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();
    await context.close();
  });

  it('deletes the account after the password is confirmed', async () => {
    const account = await registerAccount(ts, newAccount('delete'));
    const { context, page } = await openDevice(browser, ts);
    await signIn(page, account.username, account.password);
    await openSettings(page);
    await page.getByRole('button', { name: 'Delete account…' }).click();
    await page.getByLabel('Confirm with your password').fill(account.password);
    await page.getByRole('button', { name: 'Delete my account' }).click();
    await page.getByText('Your account has been deleted.').waitFor();
    const error = await ts
      .client()
      .auth.login({ login: account.username, password: account.password })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'invalid_credentials' });
    await context.close();
  });
});
