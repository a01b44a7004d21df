/**
 * A chat of 10,000 messages: it opens at the newest without loading the rest, scrolling
 * up loads older pages while the list keeps a bounded number of rows and no long tasks,
 * and a reply to a message thousands back jumps there (loading around it) and back.
 */
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../../server/src/test/test-server.js';
import {
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

const TOTAL = 10_000;
/** The app never keeps more than this many messages (state/message-window.ts WINDOW_MAX, plus a page of slack). */
const MAX_ROWS = 260;

/** Writes the history straight into the database: 10,000 sends through the API would take most of a minute. */
async function seedHistory(ts: TestServer, chatId: string, senders: [string, string]) {
  const db = ts.server.storage.db;
  const start = Date.now() - TOTAL * 60_000;
  const ids = (seq: number) => `seed${String(seq).padStart(6, '0')}`;
  const rows = Array.from({ length: TOTAL }, (_, i) => {
    const seq = i + 1;
    return {
      id: ids(seq),
      chat_id: chatId,
      seq,
      kind: 'text' as const,
      sender_id: senders[Math.floor(seq / 3) % 2] ?? senders[0],
      client_id: null,
      text: seq === TOTAL ? 'The newest message, answering an old one' : `Message number ${seq}`,
      reply_to_id: seq === TOTAL ? ids(42) : null,
      forwarded_from: null,
      private_to: null,
      system: null,
      mentions: '[]',
      created_at: start + seq * 60_000,
      edited_at: null,
      deleted_at: null,
    };
  });
  await db.transaction().execute(async (tx) => {
    for (let i = 0; i < rows.length; i += 1000)
      await tx
        .insertInto('messages')
        .values(rows.slice(i, i + 1000))
        .execute();
    await tx
      .updateTable('chats')
      .set({ last_seq: TOTAL, last_activity_at: start + TOTAL * 60_000 })
      .where('id', '=', chatId)
      .execute();
    await tx.updateTable('chat_members').set({ last_read_seq: TOTAL }).where('chat_id', '=', chatId).execute();
  });
}

describe.skipIf(!CHROMIUM_AVAILABLE)('a long history', () => {
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

  it('opens a 10,000-message chat fast, pages older history in a bounded window, and jumps to a quoted message', async () => {
    const account = await registerAccount(ts, newAccount('reader'));
    const other = ts.client();
    const { user: otherUser } = await other.auth.register({ ...newAccount('writer'), displayName: 'Prolific Writer' });
    const me = ts.client();
    const { user } = await me.auth.login({ login: account.username, password: account.password });
    const chat = await other.chats.openDirect(user.id);
    await seedHistory(ts, chat.id, [user.id, otherUser.id]);

    const { context, page } = await openDevice(browser, ts);
    await signIn(page, account.username, account.password);
    const opened = Date.now();
    await chatLink(page, 'Prolific Writer').click();
    await messageRow(page, 'The newest message').waitFor();
    expect(Date.now() - opened).toBeLessThan(3000);
    const rows = page.locator('.message-row');
    expect(await rows.count()).toBeLessThanOrEqual(100);

    // Scroll to the top again and again: older pages come in, the row count stays bounded,
    // and the main thread never stalls.
    await page.evaluate(() => {
      const w = window as { __longTasks?: number[] };
      w.__longTasks = [];
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) w.__longTasks?.push(entry.duration);
      }).observe({ type: 'longtask' });
    });
    const scroller = page.locator('.message-scroller');
    const oldestShown = () => page.locator('.message-row[data-seq]').first().getAttribute('data-seq').then(Number);
    let oldest = await oldestShown();
    // A fling with the wheel first, then straight to the top, page after page.
    await scroller.hover();
    for (let i = 0; i < 3; i++) await page.mouse.wheel(0, -2000);
    for (let step = 0; step < 6; step++) {
      await scroller.evaluate((el) => {
        el.scrollTop = 0;
      });
      await expect.poll(oldestShown, { timeout: 5000 }).toBeLessThan(oldest);
      oldest = await oldestShown();
      expect(await rows.count()).toBeLessThanOrEqual(MAX_ROWS);
    }
    expect(oldest).toBeLessThan(TOTAL - 300);
    const longTasks = await page.evaluate(() => (window as { __longTasks?: number[] }).__longTasks ?? []);
    // Typically 50–70 ms per page on an idle 2-core machine, while rendering the whole chat would
    // take many seconds. The bound is loose because other work may share the CPU.
    expect(Math.max(0, ...longTasks)).toBeLessThan(1000);
    // The newest messages were let go; the window no longer reaches the present.
    expect(await messageRow(page, 'The newest message').count()).toBe(0);

    // Back to the present, then follow the reply quote 9,958 messages back.
    await page.getByRole('button', { name: 'Jump to the latest messages' }).click();
    const newest = messageRow(page, 'The newest message');
    await newest.waitFor();
    await newest.locator('.reply-quote').click();
    const quoted = page.locator('.message-row[data-seq="42"]');
    await quoted.waitFor();
    expect(await quoted.getAttribute('data-highlighted')).toBe('true');
    await expect
      .poll(() =>
        quoted.evaluate((el) => {
          const box = el.getBoundingClientRect();
          return box.top > 0 && box.bottom < window.innerHeight;
        }),
      )
      .toBe(true);
    expect(await rows.count()).toBeLessThanOrEqual(MAX_ROWS);
    await context.close();
  }, 60_000);
});
