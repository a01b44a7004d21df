import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../../server/src/test/test-server.js';
import {
  CHROMIUM_AVAILABLE,
  launchChromium,
  newAccount,
  openDevice,
  pageErrors,
  registerAccount,
  signIn,
  startAppServer,
} from './harness.js';

describe.skipIf(!CHROMIUM_AVAILABLE)('signing up, in and out in the browser', () => {
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

  it('signs up: says while typing that a username is taken and another is free, then opens the empty app', async () => {
    const existing = await registerAccount(ts, newAccount('taken'));
    const account = newAccount('fresh');
    const { context, page } = await openDevice(browser, ts);
    await page.goto('/');
    await expect.poll(() => page.url()).toMatch(/\/signin$/);
    await page.getByRole('link', { name: 'Create an account' }).click();
    await page.getByRole('heading', { name: 'Create your account' }).waitFor();

    await page.getByLabel('Email').fill(account.email);
    await page.getByLabel('Username').fill(existing.username.toUpperCase());
    await page.getByText(`@${existing.username} is already taken`).waitFor();
    await page.getByLabel('Username').fill(account.username);
    await page.getByText(`@${account.username} is available`).waitFor();
    await page.getByText('8–128 characters. Long and unusual is best.').waitFor();
    await page.getByLabel('Password', { exact: true }).fill(account.password);
    await page.getByRole('button', { name: 'Create account' }).click();

    await page.getByText('No conversations yet').waitFor();
    expect(await page.getByTestId('my-name').textContent()).toBe(account.username);
    expect(new URL(page.url()).pathname).toBe('/');
    await context.close();
  });

  it('shows the server’s answer next to the field it is about (an email already registered)', async () => {
    const existing = await registerAccount(ts, newAccount('mail'));
    const account = newAccount('other');
    const { context, page } = await openDevice(browser, ts);
    await page.goto('/signup');
    await page.getByLabel('Email').fill(existing.email);
    await page.getByLabel('Username').fill(account.username);
    await page.getByLabel('Password', { exact: true }).fill(account.password);
    await page.getByText(`@${account.username} is available`).waitFor();
    await page.getByRole('button', { name: 'Create account' }).click();

    const email = page.getByLabel('Email');
    await page.getByText('An account with this email already exists.').waitFor();
    expect(await email.getAttribute('aria-invalid')).toBe('true');
    const describedBy = (await email.getAttribute('aria-describedby')) ?? '';
    const descriptions = await Promise.all(describedBy.split(' ').map((id) => page.locator(`[id="${id}"]`).textContent()));
    expect(descriptions.join(' ')).toContain('An account with this email already exists.');
    await context.close();
  });

  it('checks the form before sending: a too-short password is flagged at the password field', async () => {
    const account = newAccount('short');
    const { context, page } = await openDevice(browser, ts);
    await page.goto('/signup');
    await page.getByLabel('Email').fill(account.email);
    await page.getByLabel('Username').fill(account.username);
    await page.getByLabel('Password', { exact: true }).fill('short');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByText('Use 8–128 characters.').waitFor();
    expect(await page.getByLabel('Password', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    await context.close();
  });

  it('signs out from the account menu and signs back in by email; a wrong password is refused', async () => {
    const account = await registerAccount(ts, newAccount('inout'));
    const { context, page } = await openDevice(browser, ts);
    await signIn(page, account.username, account.password);

    await page.getByRole('button', { name: 'Account menu' }).click();
    await page.getByRole('menuitem', { name: 'Sign out' }).click();
    await page.getByText('You have signed out.').waitFor();
    expect(new URL(page.url()).pathname).toBe('/signin');
    expect((await context.cookies()).map((c) => c.name)).not.toContain('parley_session');

    await page.getByLabel('Username or email').fill(account.email);
    await page.getByLabel('Password', { exact: true }).fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').getByText('The username, email or password is not correct.').waitFor();

    await page.getByLabel('Password', { exact: true }).fill(account.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('No conversations yet').waitFor();

    // The session survives a reload: the app asks the server who is signed in.
    await page.reload();
    await page.getByText('No conversations yet').waitFor();
    expect(await page.getByTestId('my-name').textContent()).toBe(account.username);
    await context.close();
  });

  it('stays signed in, and says so, when the server cannot be told about a sign-out', async () => {
    const account = await registerAccount(ts, newAccount('offline'));
    const { context, page } = await openDevice(browser, ts);
    await signIn(page, account.username, account.password);
    await page.route('**/api/v1/auth/logout', (route) => route.abort('internetdisconnected'));
    await page.getByRole('button', { name: 'Account menu' }).click();
    await page.getByRole('menuitem', { name: 'Sign out' }).click();
    await page.getByRole('alert').getByText('Couldn’t sign out: the server didn’t answer.', { exact: false }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/');
    await page.unroute('**/api/v1/auth/logout');
    await page.getByRole('button', { name: 'Account menu' }).click();
    await page.getByRole('menuitem', { name: 'Sign out' }).click();
    await page.getByText('You have signed out.').waitFor();
    await context.close();
  });

  it('reaches every control of the sign-in form by keyboard alone', async () => {
    const account = await registerAccount(ts, newAccount('keys'));
    const { context, page } = await openDevice(browser, ts);
    await page.goto('/signin');
    await page.getByLabel('Username or email').focus();
    await page.keyboard.type(account.username);
    await page.keyboard.press('Tab');
    await page.keyboard.type(account.password);
    await page.keyboard.press('Enter');
    await page.getByText('No conversations yet').waitFor();

    // The account menu opens from the keyboard and Escape returns focus to its button.
    const menuButton = page.getByRole('button', { name: 'Account menu' });
    await menuButton.focus();
    await page.keyboard.press('Enter');
    await page.getByRole('menuitem', { name: 'Settings', exact: true }).waitFor();
    // Focus is on the menu's first item (setting yourself away, then Settings).
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Set yourself away');
    await page.keyboard.press('ArrowDown');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Settings');
    await page.keyboard.press('ArrowDown');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Sign out');
    await page.keyboard.press('Escape');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Account menu');
    await context.close();
  });
});
