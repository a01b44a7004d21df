/**
 * Threads (E15) in Chromium: replying in a thread from a message's menu opens it beside the
 * conversation, the root shows the reply count, replies from others arrive live, "also send
 * to the chat" puts a reply in the chat too; the Threads view lists the thread, where it is
 * unfollowed and followed again; a new reply badges the Threads entry on both of a person's
 * devices, and reading it on the phone (where the thread is full screen) clears the laptop's
 * badge. Pictures go to docs/screenshots with PARLEY_SCREENSHOTS=1 (else test-results/threads).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ParleyClient } from '@parley/sdk';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../../server/src/test/test-server.js';
import { accessibilityViolations } from './axe.js';
import {
  type Account,
  CHROMIUM_AVAILABLE,
  chatLink,
  launchChromium,
  messageAction,
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
  process.env.PARLEY_SCREENSHOTS === '1' ? path.join(REPO, 'docs', 'screenshots') : path.join(REPO, 'test-results', 'threads');

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

const threadPanel = (page: Page) => page.getByTestId('thread-panel');
const threadReply = (page: Page, text: string) => threadPanel(page).getByTestId('thread-message').filter({ hasText: text });

async function replyInPanel(page: Page, text: string, options: { alsoToChat?: boolean } = {}) {
  const panel = threadPanel(page);
  if (options.alsoToChat) await panel.getByLabel('Also send to the chat').check();
  const field = panel.getByRole('textbox', { name: 'Reply in this thread' });
  await field.fill(text);
  await field.press('Enter');
  await threadReply(page, text).and(page.locator(':not([data-pending])')).waitFor();
}

describe.skipIf(!CHROMIUM_AVAILABLE)('threads', () => {
  let ts: TestServer;
  let browser: Browser;
  let annAccount: Account;
  let bob: ParleyClient;
  let cara: ParleyClient;
  let ann: ParleyClient;
  beforeAll(async () => {
    [ts, browser] = await Promise.all([startAppServer(), launchChromium()]);
    const [a, b, c] = await Promise.all([
      registerAccount(ts, newAccount('ann')),
      registerAccount(ts, newAccount('bob')),
      registerAccount(ts, newAccount('cara')),
    ]);
    annAccount = a;
    await Promise.all([setDisplayName(ts, a, 'Ann Archer'), setDisplayName(ts, b, 'Bob Baker'), setDisplayName(ts, c, 'Cara Cole')]);
    [ann, bob, cara] = await Promise.all([signedInClient(ts, a), signedInClient(ts, b), signedInClient(ts, c)]);
  });
  afterAll(async () => {
    await browser?.close();
    await ts?.close();
  });
  afterEach(async (context) => {
    await screenshotOnFailure(context);
    expect(pageErrors).toEqual([]);
  });

  it('replies in a thread, follows it from the Threads view, and a read on the phone clears the laptop’s badge', async () => {
    const [annMe, caraMe] = await Promise.all([ann.users.me(), cara.users.me()]);
    const group = await bob.chats.create({ kind: 'group', name: 'Launch plan', memberIds: [annMe.id, caraMe.id] });
    const root = await bob.messages.send(group.id, { clientId: 'th-root', text: 'Which logo do we ship on Friday?' });
    await cara.messages.send(group.id, { clientId: 'th-other', text: 'The press kit is ready for review' });

    const laptop = await openDevice(browser, ts);
    await signIn(laptop.page, annAccount.username, annAccount.password);
    const page = laptop.page;
    await chatLink(page, 'Launch plan').click();
    await messageRow(page, 'Which logo do we ship on Friday?').waitFor();

    // Reply in a thread from the message's menu: the thread opens beside the chat.
    await messageAction(page, 'Which logo do we ship on Friday?', 'Reply in thread');
    await threadPanel(page).getByRole('heading', { name: 'Thread' }).waitFor();
    await threadPanel(page).getByText('No replies yet').waitFor();
    await replyInPanel(page, 'The round one — it reads better small');
    // Replying follows the thread; the root in the chat counts the reply; the reply is not in the chat.
    await threadPanel(page).getByRole('button', { name: 'Following' }).waitFor();
    const summary = messageRow(page, 'Which logo do we ship on Friday?').getByTestId('thread-summary');
    await summary.getByText('1 reply').waitFor();
    expect(await messageRow(page, 'The round one').count()).toBe(0);

    // Someone else's reply arrives live, in the panel and on the root.
    await cara.messages.send(group.id, { clientId: 'th-cara', text: 'Agreed, round', threadRootId: root.id });
    await threadReply(page, 'Agreed, round').waitFor();
    await summary.getByText('2 replies').waitFor();

    // "Also send to the chat": in the thread and in the chat, marked as a thread reply there.
    await replyInPanel(page, 'Shipping the round logo on Friday', { alsoToChat: true });
    const shared = messageRow(page, 'Shipping the round logo on Friday');
    await shared.getByRole('button', { name: /Replied in a thread/ }).waitFor();
    await summary.getByText('3 replies').waitFor();
    await capture(page, 'threads');
    expect(await accessibilityViolations(page)).toEqual([]);

    // The message menu works in the thread too: Cara takes her reply back, and the count follows.
    const extra = await cara.messages.send(group.id, { clientId: 'th-cara-2', text: 'Oops, wrong thread', threadRootId: root.id });
    await threadReply(page, 'Oops, wrong thread').waitFor();
    await summary.getByText('4 replies').waitFor();
    await cara.messages.delete(group.id, extra.id);
    await threadReply(page, 'Oops, wrong thread').waitFor({ state: 'detached' });
    await summary.getByText('3 replies').waitFor();
    // Ann deletes her own first reply from its menu.
    await threadReply(page, 'The round one').click({ button: 'right' });
    await page.getByRole('menu', { name: 'Message actions' }).getByRole('menuitem', { name: 'Delete' }).click();
    await page.getByRole('dialog', { name: 'Delete message?' }).getByRole('button', { name: 'Delete' }).click();
    await threadReply(page, 'The round one').waitFor({ state: 'detached' });
    await summary.getByText('2 replies').waitFor();

    // The Threads view lists it; unfollow and follow again there.
    await threadPanel(page).getByRole('button', { name: 'Close thread' }).click();
    await page.getByTestId('threads-nav').click();
    await page.getByRole('heading', { name: 'Threads', level: 1 }).waitFor();
    const row = page.getByTestId('threads-row').filter({ hasText: 'Which logo do we ship on Friday?' });
    await row.getByText('Launch plan').waitFor();
    await row.getByRole('button', { name: 'Unfollow' }).click();
    await row.getByRole('button', { name: 'Follow' }).waitFor();
    await expect.poll(async () => (await ann.threads.get(group.id, root.id)).state.following).toBe(false);
    await row.getByRole('button', { name: 'Follow' }).click();
    await row.getByRole('button', { name: 'Unfollow' }).waitFor();
    await expect.poll(async () => (await ann.threads.get(group.id, root.id)).state.following).toBe(true);

    // A new reply badges the followed thread, here and on the phone.
    const phone = await openDevice(browser, ts, { viewport: 'phone' });
    await signIn(phone.page, annAccount.username, annAccount.password);
    await bob.messages.send(group.id, { clientId: 'th-bob', text: 'Friday works for me', threadRootId: root.id });
    await row.getByTestId('threads-row-unread').getByText('1 new').waitFor();
    await page.getByTestId('threads-badge').getByText('1').waitFor();
    await phone.page.getByTestId('threads-badge').getByText('1').waitFor();
    // The chat itself has nothing unread from the thread.
    expect((await ann.chats.get(group.id)).unreadCount).toBe(0);
    await capture(page, 'threads-view');
    expect(await accessibilityViolations(page)).toEqual([]);

    // Reading it on the phone, where the thread is full screen, clears the laptop's badge live.
    await phone.page.getByTestId('threads-nav').click();
    await phone.page
      .getByTestId('threads-row')
      .filter({ hasText: 'Which logo do we ship on Friday?' })
      .getByRole('button', { name: /Open thread/ })
      .click();
    await threadReply(phone.page, 'Friday works for me').waitFor();
    await capture(phone.page, 'threads-phone');
    expect(await accessibilityViolations(phone.page)).toEqual([]);
    await page.getByTestId('threads-badge').waitFor({ state: 'detached' });
    await row.getByTestId('threads-row-unread').waitFor({ state: 'detached' });
    expect((await ann.threads.list()).unreadThreads).toBe(0);

    // A reply while the laptop is offline comes with the resume, and badges the thread once.
    // The phone goes first: with the thread open there, it would read the reply itself, and the
    // laptop's resume would then rightly bring no badge.
    await phone.context.close();
    await laptop.context.setOffline(true);
    const banner = page.getByRole('status').filter({ hasText: 'Connection lost' });
    await banner.waitFor();
    await bob.messages.send(group.id, { clientId: 'th-bob-2', text: 'See you Friday', threadRootId: root.id });
    await laptop.context.setOffline(false);
    await banner.waitFor({ state: 'detached', timeout: 15_000 });
    await row.getByTestId('threads-row-unread').getByText('1 new').waitFor();
    await page.getByTestId('threads-badge').getByText('1').waitFor();
    await laptop.context.close();
  });

  it('keeps a thread reply’s draft on the server: typed on the laptop, it is there on the phone, and sending clears it on both', async () => {
    const annMe = await ann.users.me();
    const group = await bob.chats.create({ kind: 'group', name: 'Draft room', memberIds: [annMe.id] });
    const root = await bob.messages.send(group.id, { clientId: 'th-draft-root', text: 'Who books the venue?' });
    const laptop = await openDevice(browser, ts);
    await signIn(laptop.page, annAccount.username, annAccount.password);
    await chatLink(laptop.page, 'Draft room').click();
    await messageAction(laptop.page, 'Who books the venue?', 'Reply in thread');
    const laptopField = threadPanel(laptop.page).getByRole('textbox', { name: 'Reply in this thread' });
    await laptopField.fill('I can call them tomorrow');
    // Saved after a pause in typing, as the thread's draft — not the chat's.
    await expect
      .poll(async () => (await ann.drafts.list()).items.map((d) => ({ threadRootId: d.threadRootId, text: d.text })))
      .toEqual([{ threadRootId: root.id, text: 'I can call them tomorrow' }]);

    const phone = await openDevice(browser, ts, { viewport: 'phone' });
    await signIn(phone.page, annAccount.username, annAccount.password);
    await chatLink(phone.page, 'Draft room').click();
    await messageAction(phone.page, 'Who books the venue?', 'Reply in thread');
    const phoneField = threadPanel(phone.page).getByRole('textbox', { name: 'Reply in this thread' });
    await expect.poll(() => phoneField.inputValue()).toBe('I can call them tomorrow');
    await phoneField.press('Enter');
    await threadReply(phone.page, 'I can call them tomorrow').and(phone.page.locator(':not([data-pending])')).waitFor();
    await expect.poll(async () => (await ann.drafts.list()).items).toEqual([]);
    await expect.poll(() => laptopField.inputValue()).toBe('');
    await laptop.context.close();
    await phone.context.close();
  });

  it('keeps a thread reply typed offline across a reload, and sends it once when the connection is back', async () => {
    const annMe = await ann.users.me();
    const group = await bob.chats.create({ kind: 'group', name: 'Train talk', memberIds: [annMe.id] });
    const root = await bob.messages.send(group.id, { clientId: 'th-offline-root', text: 'Are we on the 8:15?' });
    const { context, page } = await openDevice(browser, ts);
    await signIn(page, annAccount.username, annAccount.password);
    await chatLink(page, 'Train talk').click();
    await messageAction(page, 'Are we on the 8:15?', 'Reply in thread');
    let blocked = true;
    await page.routeWebSocket(/\/api\/v1\/ws$/, (ws) => {
      if (blocked) return ws.close({ code: 4000, reason: 'blocked by the test' });
      ws.connectToServer();
    });
    await context.setOffline(true);
    const lost = page.getByRole('status').filter({ hasText: 'Connection lost' });
    await lost.waitFor();
    const field = threadPanel(page).getByRole('textbox', { name: 'Reply in this thread' });
    await field.fill('Yes, carriage 4');
    await field.press('Enter');
    await threadReply(page, 'Yes, carriage 4').and(page.locator('[data-pending]')).waitFor();
    const stored = () =>
      page.evaluate(() =>
        Object.entries(localStorage)
          .filter(([key]) => key.startsWith('parley.outbox.') && key.endsWith('.threads'))
          .flatMap(([, value]) => (JSON.parse(value) as { text: string }[]).map((p) => p.text)),
      );
    expect(await stored()).toEqual(['Yes, carriage 4']);

    // Reloaded while the socket still can't get through: kept on this device, unsent.
    await context.setOffline(false);
    await page.reload();
    await lost.waitFor();
    expect(await stored()).toEqual(['Yes, carriage 4']);
    const replies = async () => (await bob.threads.replies(group.id, root.id)).items.map((m) => m.text);
    expect(await replies()).toEqual([]);

    blocked = false;
    await page
      .getByRole('button', { name: 'Reconnect now' })
      .click({ timeout: 3000 })
      .catch(() => undefined);
    await expect.poll(replies, { timeout: 20_000 }).toEqual(['Yes, carriage 4']);
    await expect.poll(stored).toEqual([]);
    // Reloading again sends nothing more.
    await page.reload();
    await chatLink(page, 'Train talk').click();
    await messageRow(page, 'Are we on the 8:15?').getByTestId('thread-summary').getByText('1 reply').waitFor();
    expect(await replies()).toEqual(['Yes, carriage 4']);
    await context.close();
  });

  it('loads the Threads view a page at a time: the threads past the first page come with "Show more threads"', async () => {
    const deeAccount = await registerAccount(ts, newAccount('dee'));
    const dee = await signedInClient(ts, deeAccount);
    const bobMe = await bob.users.me();
    const group = await dee.chats.create({ kind: 'group', name: 'Many topics', memberIds: [bobMe.id] });
    // 31 threads: one more than a page. Dee wrote each root, so she follows each from its first reply.
    for (let i = 1; i <= 31; i += 1) {
      const root = await dee.messages.send(group.id, { clientId: `th-page-root-${i}`, text: `Topic ${i} of many` });
      await bob.messages.send(group.id, { clientId: `th-page-reply-${i}`, text: `Reply to ${i}`, threadRootId: root.id });
    }
    const device = await openDevice(browser, ts);
    await signIn(device.page, deeAccount.username, deeAccount.password);
    const page = device.page;
    await page.getByTestId('threads-nav').click();
    const rows = page.getByTestId('threads-row');
    // Newest reply first: topic 31 leads, topic 1 (the oldest) is on the next page.
    await rows.filter({ hasText: 'Topic 31 of many' }).waitFor();
    await expect.poll(() => rows.count()).toBe(30);
    expect(await rows.filter({ hasText: 'Topic 1 of many' }).count()).toBe(0);
    const more = page.getByRole('button', { name: 'Show more threads' });
    await more.click();
    await rows.filter({ hasText: 'Topic 1 of many' }).waitFor();
    expect(await rows.count()).toBe(31);
    // Everything is loaded: no more to ask for.
    await more.waitFor({ state: 'detached' });
    await device.context.close();
  });
});
