/**
 * The admin console in Chromium: the first account of the server (its admin) suspends a
 * person — whose open page is signed out at once — deletes a room, makes sign-up
 * invite-only, reads the audit log and sees the messages-per-day chart. Pictures of each
 * tab go to docs/screenshots with PARLEY_SCREENSHOTS=1 (else test-results/), each checked
 * by axe and for sideways overflow.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createParleyClient } from '@parley/sdk';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../../server/src/test/test-server.js';
import { captureScreen } from './capture.js';
import {
  CHROMIUM_AVAILABLE,
  launchChromium,
  newAccount,
  openDevice,
  openSettings,
  pageErrors,
  registerAccount,
  screenshotOnFailure,
  signIn,
  startAppServer,
} from './harness.js';

const REPO = fileURLToPath(new URL('../../..', import.meta.url));
const OUT_DIR =
  process.env.PARLEY_SCREENSHOTS === '1' ? path.join(REPO, 'docs', 'screenshots') : path.join(REPO, 'test-results', 'screenshots');

describe.skipIf(!CHROMIUM_AVAILABLE)('the admin console in the browser', () => {
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

  it('suspends a person, deletes a room, changes a setting, reads the audit log and shows the stats chart', {
    timeout: 120_000,
  }, async () => {
    // The first account of a fresh server is its admin.
    const admin = await registerAccount(ts, newAccount('boss'));
    const member = await registerAccount(ts, newAccount('member'));
    const owner = ts.client();
    await owner.auth.login({ login: member.username, password: member.password });
    const room = await owner.chats.create({ kind: 'room', name: 'Spam corner', handle: `spam${Date.now().toString(36)}` });
    await owner.messages.send(room.id, { clientId: 'adm-e2e-spam', text: 'buy now' });
    // Four messages that stay (the room's go with it): today's bar in the stats chart.
    const talk = ts.client();
    await talk.auth.login({ login: admin.username, password: admin.password });
    const notes = await talk.chats.create({ kind: 'group', name: 'Admin notes' });
    for (let i = 0; i < 4; i++) await talk.messages.send(notes.id, { clientId: `adm-e2e-${i}`, text: `note ${i}` });

    const memberDevice = await openDevice(browser, ts);
    await signIn(memberDevice.page, member.username, member.password);

    const { page } = await openDevice(browser, ts);
    await signIn(page, admin.username, admin.password);
    await openSettings(page);
    await page.getByRole('button', { name: 'Open the admin console' }).click();
    await page.getByRole('heading', { name: 'Admin console', level: 1 }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/admin');

    // People: find the member and suspend them with a reason.
    await page.getByLabel('Search people').fill(member.username);
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    const row = page.getByRole('row').filter({ hasText: `@${member.username}` });
    await row.getByRole('button', { name: new RegExp(member.username) }).click();
    await captureScreen(page, OUT_DIR, 'admin-people-desktop-light');
    await page.getByRole('button', { name: 'Suspend', exact: true }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Reason (recorded in the audit log)').fill('Posting spam');
    await dialog.getByRole('button', { name: 'Suspend', exact: true }).click();
    await row.getByText('Suspended', { exact: true }).waitFor();
    // Their open page is signed out at once; signing in again is refused with the reason.
    await memberDevice.page.getByText('Your session has ended. Sign in again to continue.').waitFor();
    await memberDevice.page.getByLabel('Username or email').fill(member.username);
    await memberDevice.page.getByLabel('Password', { exact: true }).fill(member.password);
    await memberDevice.page.getByRole('button', { name: 'Sign in' }).click();
    await memberDevice.page.getByText('This account is suspended: Posting spam').waitFor();

    // Rooms: delete the member's room.
    await page.getByRole('link', { name: 'Rooms' }).click();
    // The room's own row (its detail row below also names it, in the delete dialog).
    const roomRow = page.locator('tr.admin-row', { hasText: 'Spam corner' });
    await roomRow.getByRole('button', { name: /Spam corner/ }).click();
    await captureScreen(page, OUT_DIR, 'admin-rooms-desktop-light');
    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete', exact: true }).click();
    await roomRow.waitFor({ state: 'detached' });
    const check = ts.client();
    await check.auth.login({ login: admin.username, password: admin.password });
    expect((await check.admin.rooms()).items.map((r) => r.id)).not.toContain(room.id);

    // Settings: sign-up by invite only, then an invite link.
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByLabel('Only people with an invite link').check();
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Saved', { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Create an invite link' }).click();
    const link = await page.locator('.admin-invite-created code').textContent();
    expect(link).toMatch(/\/signup\?invite=[A-Za-z0-9_-]+$/);
    await captureScreen(page, OUT_DIR, 'admin-settings-desktop-light');
    expect((await check.admin.settings()).signUp).toBe('invite');

    // The audit log names all three actions, by the admin, from the browser's address.
    await page.getByRole('link', { name: 'Audit log' }).click();
    for (const action of ['user.suspend', 'room.delete', 'settings.update', 'invite.create']) {
      await page.getByRole('cell', { name: action, exact: true }).waitFor();
    }
    const suspendRow = page.getByRole('row').filter({ hasText: 'user.suspend' });
    expect(await suspendRow.textContent()).toContain(admin.username);
    expect(await suspendRow.textContent()).toContain('Posting spam');
    expect(await suspendRow.textContent()).toContain('127.0.0.1');
    await captureScreen(page, OUT_DIR, 'admin-audit-desktop-light');

    // Stats: the chart has a bar a day, today's holding the four messages.
    await page.getByRole('link', { name: 'Stats' }).click();
    const chart = page.getByRole('img', { name: /Messages per day from/ });
    await chart.waitFor();
    const bars = chart.locator('rect');
    expect(await bars.count()).toBe(30);
    expect(await bars.last().getAttribute('data-count')).toBe('4');
    await captureScreen(page, OUT_DIR, 'admin-stats-desktop-light');

    // A bot's message is marked as a bot's, in the conversation and in the member list.
    const { bot, token } = await talk.bots.create({ username: 'notes_bot', displayName: 'Notes bot' });
    await talk.bots.setScope(bot.user.id, notes.id, true);
    await createParleyClient({ baseUrl: ts.url, token }).messages.send(notes.id, { clientId: 'adm-e2e-bot', text: 'beep from the bot' });
    await page
      .getByRole('link', { name: /Admin notes/ })
      .first()
      .click();
    const botMessage = page.getByTestId('sender-name').filter({ hasText: 'Notes bot' });
    await botMessage.locator('.bot-badge').waitFor();
    expect(await botMessage.locator('.bot-badge').textContent()).toBe('bot');

    // Export of my data from settings: the job builds it, then the link downloads a zip.
    await openSettings(page);
    await page.getByRole('button', { name: 'Export my data' }).click();
    await page.getByText('Your export is ready.').waitFor({ timeout: 20_000 });
    const href = await page.getByRole('link', { name: 'Download (zip)' }).getAttribute('href');
    const zip = await fetch(`${ts.url}${href}`);
    expect([zip.status, zip.headers.get('content-type')]).toEqual([200, 'application/zip']);

    // Invite-only now: the sign-up page with the link's code creates an account; without it, no.
    const invitee = newAccount('invited');
    const signUpDevice = await openDevice(browser, ts);
    await signUpDevice.page.goto(new URL(link ?? '').pathname + new URL(link ?? '').search);
    await signUpDevice.page.getByLabel('Email').fill(invitee.email);
    await signUpDevice.page.getByLabel('Username').fill(invitee.username);
    await signUpDevice.page.getByLabel('Password', { exact: true }).fill(invitee.password);
    await signUpDevice.page.getByRole('button', { name: 'Create account' }).click();
    await signUpDevice.page.getByRole('heading', { name: 'Chats' }).waitFor();
  });
});
