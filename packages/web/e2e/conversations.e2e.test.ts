/**
 * Team conversations (issue 16) in Chromium: a draft typed on one device appears on the
 * person's other device and is cleared there by sending; several messages selected and
 * forwarded at once, in order. Pictures of each go to docs/screenshots with
 * PARLEY_SCREENSHOTS=1 (else test-results/conversations).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ParleyClient } from '@parley/sdk';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../../server/src/test/test-server.js';
import {
  type Account,
  CHROMIUM_AVAILABLE,
  chatLink,
  composer,
  launchChromium,
  messageAction,
  messageRow,
  newAccount,
  openDevice,
  openSettings,
  pageErrors,
  registerAccount,
  screenshotOnFailure,
  send,
  setDisplayName,
  signIn,
  startAppServer,
} from './harness.js';

const REPO = fileURLToPath(new URL('../../..', import.meta.url));
const OUT_DIR =
  process.env.PARLEY_SCREENSHOTS === '1' ? path.join(REPO, 'docs', 'screenshots') : path.join(REPO, 'test-results', 'conversations');

async function capture(page: Page, name: string) {
  await page.mouse.move(1, 1);
  fs.mkdirSync(OUT_DIR, { recursive: true });
  await page.screenshot({ path: path.join(OUT_DIR, `${name}.png`), animations: 'disabled', caret: 'hide' });
}

async function signedInClient(ts: TestServer, account: Account): Promise<ParleyClient> {
  const client = ts.client();
  await client.auth.login({ login: account.username, password: account.password });
  return client;
}

describe.skipIf(!CHROMIUM_AVAILABLE)('team conversations', () => {
  let ts: TestServer;
  let browser: Browser;
  let annAccount: Account;
  let bobAccount: Account;
  let ann: ParleyClient;
  let bob: ParleyClient;
  beforeAll(async () => {
    [ts, browser] = await Promise.all([startAppServer(), launchChromium()]);
    [annAccount, bobAccount] = await Promise.all([registerAccount(ts, newAccount('ann')), registerAccount(ts, newAccount('bob'))]);
    await Promise.all([setDisplayName(ts, annAccount, 'Ann Archer'), setDisplayName(ts, bobAccount, 'Bob Baker')]);
    [ann, bob] = await Promise.all([signedInClient(ts, annAccount), signedInClient(ts, bobAccount)]);
  });
  afterAll(async () => {
    await browser?.close();
    await ts?.close();
  });
  afterEach(async (context) => {
    await screenshotOnFailure(context);
    expect(pageErrors).toEqual([]);
  });

  it('a draft typed on the laptop is on the phone, and sending clears it on both', async () => {
    const me = await ann.users.me();
    const bobMe = await bob.users.me();
    expect(me.username).toBe(annAccount.username);
    await ann.chats.openDirect(bobMe.id);
    const laptop = await openDevice(browser, ts);
    const phone = await openDevice(browser, ts, { viewport: 'phone' });
    await Promise.all([
      signIn(laptop.page, annAccount.username, annAccount.password),
      signIn(phone.page, annAccount.username, annAccount.password),
    ]);
    await chatLink(laptop.page, 'Bob Baker').click();
    await chatLink(phone.page, 'Bob Baker').click();
    await composer(laptop.page).pressSequentially('Half a thought from the laptop');
    // Saved after a pause in typing; the phone's composer takes it live.
    await expect.poll(() => composer(phone.page).inputValue(), { timeout: 10_000 }).toBe('Half a thought from the laptop');
    await capture(phone.page, 'draft-synced-phone-light');

    await composer(laptop.page).press('Enter');
    await messageRow(phone.page, 'Half a thought from the laptop').waitFor();
    await expect.poll(() => composer(phone.page).inputValue(), { timeout: 10_000 }).toBe('');
    expect((await ann.drafts.list()).items).toEqual([]);
    await laptop.context.close();
    await phone.context.close();
  });

  it('selects three messages and forwards them at once, in order', async () => {
    const bobMe = await bob.users.me();
    const direct = await ann.chats.openDirect(bobMe.id);
    const notes = await ann.chats.create({ kind: 'group', name: 'Release notes', memberIds: [bobMe.id] });
    for (const [i, text] of ['First: the plan', 'Second: the budget', 'Third: the dates', 'Not this one'].entries()) {
      await (i % 2 === 0 ? bob : ann).messages.send(direct.id, { clientId: `mf-e2e-${i}`, text });
    }
    const { page, context } = await openDevice(browser, ts);
    await signIn(page, annAccount.username, annAccount.password);
    await chatLink(page, 'Bob Baker').click();
    await messageRow(page, 'Third: the dates').waitFor();

    await messageAction(page, 'Second: the budget', 'Select messages');
    const bar = page.getByRole('toolbar', { name: 'Selected messages' });
    await bar.getByText('1 selected').waitFor();
    await messageRow(page, 'Third: the dates').click();
    await messageRow(page, 'First: the plan').click();
    await bar.getByText('3 selected').waitFor();
    await messageRow(page, 'Not this one').click();
    await messageRow(page, 'Not this one').click();
    await bar.getByText('3 selected').waitFor();
    await capture(page, 'multi-forward-desktop-light');

    await bar.getByRole('button', { name: 'Forward' }).click();
    const dialog = page.getByRole('dialog', { name: 'Forward message' });
    await dialog.getByText('and 2 more messages').waitFor();
    await dialog.getByRole('button', { name: /Release notes/ }).click();
    await dialog.getByRole('button', { name: 'Forward', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    await bar.waitFor({ state: 'detached' });
    await composer(page).waitFor();

    const forwarded = (await bob.messages.history(notes.id)).items.filter((m) => m.kind === 'text');
    expect(forwarded.map((m) => [m.text, m.forwardedFrom?.senderName])).toEqual([
      ['First: the plan', 'Bob Baker'],
      ['Second: the budget', 'Ann Archer'],
      ['Third: the dates', 'Bob Baker'],
    ]);
    await send(page, 'done');
    await context.close();
  });

  it('two people vote in a poll and see the results live', async () => {
    const bobMe = await bob.users.me();
    await ann.chats.create({ kind: 'group', name: 'Lunch club', memberIds: [bobMe.id] });
    const annDevice = await openDevice(browser, ts);
    const bobDevice = await openDevice(browser, ts);
    await Promise.all([
      signIn(annDevice.page, annAccount.username, annAccount.password),
      signIn(bobDevice.page, bobAccount.username, bobAccount.password),
    ]);
    await chatLink(annDevice.page, 'Lunch club').click();
    await chatLink(bobDevice.page, 'Lunch club').click();

    await annDevice.page.getByRole('button', { name: 'Create a poll' }).click();
    const dialog = annDevice.page.getByRole('dialog', { name: 'Create a poll' });
    await dialog.getByLabel('Question').fill('Where shall we eat on Friday?');
    await dialog.getByLabel('Option 1').fill('Noodle bar');
    await dialog.getByLabel('Option 2').fill('Taco truck');
    await dialog.getByRole('button', { name: 'Add an option' }).click();
    await dialog.getByLabel('Option 3').fill('Salad place');
    await dialog.getByRole('button', { name: 'Post poll' }).click();
    await dialog.waitFor({ state: 'detached' });

    const bobsPoll = bobDevice.page.locator('.poll', { hasText: 'Where shall we eat on Friday?' });
    await bobsPoll.getByRole('button', { name: /Taco truck/ }).click();
    await bobsPoll.getByRole('button', { name: /Taco truck/, pressed: true }).waitFor();
    const annsPoll = annDevice.page.locator('.poll', { hasText: 'Where shall we eat on Friday?' });
    await annsPoll.getByText('1 person voted').waitFor();
    await annsPoll.getByRole('button', { name: /Taco truck.*1 · 100%/ }).waitFor();

    await annsPoll.getByRole('button', { name: /Noodle bar/ }).click();
    await bobsPoll.getByText('2 people voted').waitFor();
    await bobsPoll.getByRole('button', { name: /Noodle bar.*1 · 50%/ }).waitFor();
    // Bob changes his mind: single choice moves his vote.
    await bobsPoll.getByRole('button', { name: /Noodle bar/ }).click();
    await annsPoll.getByRole('button', { name: /Noodle bar.*2 · 100%/ }).waitFor();
    await capture(annDevice.page, 'poll-desktop-light');

    await annsPoll.getByRole('button', { name: 'Close poll' }).click();
    await bobsPoll.getByText('Closed').waitFor();
    expect(await bobsPoll.getByRole('button', { name: /Salad place/ }).isDisabled()).toBe(true);
    await annDevice.context.close();
    await bobDevice.context.close();
  });

  it('schedules a message, edits it in the list, and it is sent at its time; sets a reminder', async () => {
    const bobMe = await bob.users.me();
    const direct = await ann.chats.openDirect(bobMe.id);
    const { page, context } = await openDevice(browser, ts);
    await signIn(page, annAccount.username, annAccount.password);
    await chatLink(page, 'Bob Baker').click();
    await composer(page).fill('See you at the station');
    await page.getByRole('button', { name: 'Send later' }).click();
    const dialog = page.getByRole('dialog', { name: 'Send later' });
    // The browser runs in UTC, so a local datetime-local value is the ISO time's first 16 characters.
    const nextWeek = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 16);
    await dialog.getByLabel('Send at').fill(nextWeek);
    await dialog.getByRole('button', { name: 'Schedule' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(await composer(page).inputValue()).toBe('');

    await page.getByRole('button', { name: '1 scheduled message' }).click();
    const list = page.getByRole('dialog', { name: 'Scheduled messages' });
    await list.getByText('See you at the station').waitFor();
    await list.getByRole('button', { name: 'Edit' }).click();
    const edit = page.getByRole('dialog', { name: 'Edit scheduled message' });
    await edit.getByLabel('Message').fill('See you at the station at 8:30');
    await edit.getByRole('button', { name: 'Schedule' }).click();
    await edit.waitFor({ state: 'detached' });
    await list.getByText('See you at the station at 8:30').waitFor();
    await capture(page, 'scheduled-desktop-light');
    await page.keyboard.press('Escape');

    // Brought forward to a few seconds from now (the form's times are to the minute): the server sends it then.
    const [scheduled] = (await ann.scheduled.list()).items;
    expect(scheduled).toMatchObject({
      chatId: direct.id,
      text: 'See you at the station at 8:30',
      sendAt: `${nextWeek}:00.000Z`,
    });
    await ann.scheduled.update(scheduled?.id ?? '', { sendAt: new Date(Date.now() + 2000).toISOString() });
    await messageRow(page, 'See you at the station at 8:30').waitFor({ timeout: 15_000 });
    await page.getByRole('button', { name: /scheduled message/ }).waitFor({ state: 'detached' });

    await messageAction(page, 'See you at the station at 8:30', 'Remind me');
    await page.getByRole('dialog', { name: 'Remind me about this' }).getByRole('button', { name: 'In 20 minutes' }).click();
    await page.getByText(/Reminder set for/).waitFor();
    const reminders = (await ann.reminders.list()).items;
    expect(reminders).toHaveLength(1);
    expect(Date.parse(reminders[0]?.remindAt ?? '') - Date.now()).toBeGreaterThan(19 * 60_000);
    await context.close();
  });

  it('creates a user group in settings and mentions it from the composer', async () => {
    const bobMe = await bob.users.me();
    const room = await ann.chats.create({ kind: 'group', name: 'Design review', memberIds: [bobMe.id] });
    const { page, context } = await openDevice(browser, ts);
    await signIn(page, annAccount.username, annAccount.password);
    await openSettings(page);
    const section = page.getByRole('region', { name: 'User groups' });
    await section.getByLabel('Handle').fill('designers');
    await section.getByLabel('Name', { exact: true }).fill('Designers');
    await section.getByLabel('Members').fill('Bob Bak');
    await section.getByRole('button', { name: new RegExp(`@${bobAccount.username}`) }).click();
    await section.getByRole('button', { name: 'Create group' }).click();
    await section.getByText('@designers').waitFor();
    await section.getByText('2 members').waitFor();
    await section.scrollIntoViewIfNeeded();
    await capture(page, 'user-groups-desktop-light');

    await page.goto(`/chats/${room.id}`);
    await composer(page).pressSequentially('Thoughts, @desig');
    await page.getByRole('option', { name: /Designers/ }).click();
    expect(await composer(page).inputValue()).toBe('Thoughts, @designers ');
    await composer(page).press('Enter');
    await expect.poll(async () => (await bob.messages.history(room.id)).items.at(-1)?.mentions).toEqual([bobMe.id]);
    await context.close();
  });
});
