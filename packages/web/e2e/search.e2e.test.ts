/**
 * Message search in the browser: the panel (search button, Ctrl+Shift+F) finds a
 * two-character Chinese word inside longer text across chats, groups the results by chat
 * with the match marked, and opens a result far back in its chat (the `around` page) with
 * the message highlighted; "Search in this chat" searches the open chat only.
 */
import type { ParleyClient } from '@parley/sdk';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../../server/src/test/test-server.js';
import {
  type Account,
  CHROMIUM_AVAILABLE,
  chatLink,
  launchChromium,
  messageRow,
  newAccount,
  openDevice,
  pageErrors,
  registerAccount,
  screenshotOnFailure,
  signIn,
  startAppServer,
} from './harness.js';

let n = 0;
const cid = () => `se${Date.now().toString(36)}${(n++).toString(36)}`;

describe.skipIf(!CHROMIUM_AVAILABLE)('message search', () => {
  let ts: TestServer;
  let browser: Browser;
  let account: Account;
  beforeAll(async () => {
    [ts, browser] = await Promise.all([startAppServer({ WS_SEND_BURST: '100000', WS_SEND_RATE_PER_SECOND: '100000' }), launchChromium()]);
    account = await registerAccount(ts, newAccount('seeker'));
    const me: ParleyClient = ts.client();
    const { user } = await me.auth.login({ login: account.username, password: account.password });
    const other = ts.client();
    const { user: li } = await other.auth.register({ ...newAccount('liwei'), displayName: 'Li Wei' });
    const group = await other.chats.create({ kind: 'group', name: 'Project Shanghai', memberIds: [user.id] });
    await other.messages.send(group.id, { clientId: cid(), text: '我家在上海东边 — the target message' });
    // Enough after it that the chat opens far from it: the jump has to load the page around it.
    // "#…." keeps one filler's text from containing another's (a row's text ends with its time).
    for (let i = 0; i < 120; i++) await other.messages.send(group.id, { clientId: cid(), text: `filler #${i}.` });
    const direct = await other.chats.openDirect(user.id);
    await other.messages.send(direct.id, { clientId: cid(), text: 'The 上海 office opens on Monday' });
    await other.messages.send(direct.id, { clientId: cid(), text: 'Shanghai in English only' });
    expect(li.displayName).toBe('Li Wei');
  });
  afterAll(async () => {
    await browser?.close();
    await ts?.close();
  });
  afterEach(async (context) => {
    await screenshotOnFailure(context);
    expect(pageErrors).toEqual([]);
  });

  it('finds a word across chats from the panel, grouped by chat, and opens a result in context, highlighted', async () => {
    const { context, page } = await openDevice(browser, ts);
    await signIn(page, account.username, account.password);
    await page.getByRole('button', { name: 'Search messages' }).click();
    const panel = page.getByRole('dialog', { name: 'Search messages' });
    await panel.getByRole('searchbox', { name: 'Search messages' }).fill('上海');
    const groups = panel.locator('.search-group');
    await expect.poll(() => groups.count()).toBe(2);
    expect(await panel.getByRole('region', { name: 'Project Shanghai' }).locator('mark').allTextContents()).toEqual(['上海']);
    expect(await panel.getByRole('region', { name: 'Li Wei' }).locator('.search-hit').allTextContents()).toEqual([
      expect.stringContaining('The 上海 office opens on Monday'),
    ]);
    await panel.locator('.search-hit', { hasText: 'the target message' }).click();
    await expect.poll(() => panel.count()).toBe(0);
    const target = messageRow(page, 'the target message');
    await target.waitFor();
    expect(await target.getAttribute('data-highlighted')).toBe('true');
    await expect
      .poll(() =>
        target.evaluate((el) => {
          const box = el.getBoundingClientRect();
          return box.top > 0 && box.bottom < window.innerHeight;
        }),
      )
      .toBe(true);
    // The chat opened at the message, not at its newest. Pages below may still load as the
    // reader sits near that edge (the target is the chat's first message), so the rule is
    // about the screen: the newest message is not on it, and the target still is.
    const onScreen = (rows: Element[]) =>
      rows.some((el) => {
        const box = el.getBoundingClientRect();
        return box.bottom > 0 && box.top < window.innerHeight;
      });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await messageRow(page, 'filler #119.').evaluateAll(onScreen)).toBe(false);
    expect(await target.evaluateAll(onScreen)).toBe(true);

    // Ctrl+Shift+F opens the panel again, empty.
    await page.keyboard.press('Control+Shift+F');
    await panel.getByRole('searchbox', { name: 'Search messages' }).waitFor();
    await page.keyboard.press('Escape');
    await context.close();
  }, 60_000);

  it('searches only the open chat from its header, and can widen to every chat', async () => {
    const { context, page } = await openDevice(browser, ts);
    await signIn(page, account.username, account.password);
    await chatLink(page, 'Li Wei').click();
    await page.getByRole('button', { name: 'Search in this chat' }).click();
    await page.getByRole('dialog', { name: 'Search in this chat' }).waitFor();
    // The title says where it searches; the panel is the one dialog either way.
    const panel = page.getByRole('dialog');
    await panel.getByRole('searchbox').fill('上海');
    const hits = panel.locator('.search-hit');
    await expect.poll(() => hits.allTextContents()).toEqual([expect.stringContaining('The 上海 office')]);
    await panel.getByRole('button', { name: /In Li Wei/ }).click();
    await expect.poll(() => hits.count()).toBe(2);
    await page.getByRole('dialog', { name: 'Search messages' }).waitFor();
    await hits.filter({ hasText: 'office' }).click();
    const found = messageRow(page, 'The 上海 office');
    await found.waitFor();
    expect(await found.getAttribute('data-highlighted')).toBe('true');
    await context.close();
  }, 60_000);
});
