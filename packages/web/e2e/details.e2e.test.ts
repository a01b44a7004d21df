/**
 * The details people notice (issue 17), in Chromium against a real server: an Enter that
 * confirms an IME composition never sends; right-to-left text is not overlapped by the
 * bubble's time and ticks; a lost network shows within 5 s and nobody is claimed online;
 * a message typed offline survives a reload and arrives once; delivered and read ticks
 * differ; the keyboard shortcuts; the reading device's own badge and title; a system line
 * around a name holding U+202E; the long-text counter and its choice past the limit; history
 * paged at most every 600 ms while a scrollbar is held at the top; a deleted account named in
 * the reader's language; the language picker kept on the account.
 */
import type { ParleyClient } from '@parley/sdk';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../../server/src/test/test-server.js';
import {
  CHROMIUM_AVAILABLE,
  chatLink,
  composer,
  launchChromium,
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
import { online, type Person } from './scene.js';

describe.skipIf(!CHROMIUM_AVAILABLE)('the details people notice', () => {
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
    // Offline and blocked sockets are what some of these tests are about.
    pageErrors.splice(
      0,
      pageErrors.length,
      ...pageErrors.filter((e) => !/ERR_INTERNET_DISCONNECTED|ERR_CONNECTION_REFUSED|WebSocket connection|blocked/.test(e.message)),
    );
    expect(pageErrors).toEqual([]);
  });

  let clientIds = 0;
  /** Ann (who uses the browser) and Bob, with a direct chat; Bob acts through the API. */
  async function annAndBob(bobName = 'Bob Baker') {
    const annAccount = await registerAccount(ts, newAccount('ann'));
    const bobAccount = await registerAccount(ts, newAccount('bob'));
    await setDisplayName(ts, bobAccount, bobName);
    const bob = ts.client();
    const { user: bobUser } = await bob.auth.login({ login: bobAccount.username, password: bobAccount.password });
    const ann = ts.client();
    const { user: annUser } = await ann.auth.login({ login: annAccount.username, password: annAccount.password });
    const chat = await ann.chats.openDirect(bobUser.id);
    const bobPerson: Person = { account: bobAccount, client: bob, id: bobUser.id };
    const say = (client: ParleyClient, text: string, chatId = chat.id) => {
      clientIds += 1;
      return client.messages.send(chatId, { clientId: `details-${clientIds}`, text });
    };
    return { annAccount, annUser, ann, bob, bobUser, bobPerson, chat, say };
  }

  async function openChatAs(account: { username: string; password: string }, name: string) {
    const device = await openDevice(browser, ts);
    await signIn(device.page, account.username, account.password);
    await chatLink(device.page, name).click();
    await composer(device.page).waitFor();
    return device;
  }

  it('never sends on the Enter that confirms an IME composition; an Enter after it does', async () => {
    const { annAccount, bob, chat } = await annAndBob();
    const { context, page } = await openChatAs(annAccount, 'Bob Baker');
    const field = composer(page);
    await field.focus();
    const cdp = await context.newCDPSession(page);
    // A Japanese input method: the reading is composed, then Enter picks the conversion.
    await cdp.send('Input.imeSetComposition', { text: 'にほんご', selectionStart: 4, selectionEnd: 4 });
    await page.keyboard.press('Enter');
    await cdp.send('Input.insertText', { text: '日本語' });
    // Safari's order: compositionend first, then a keydown of keyCode 229 for that Enter.
    await field.evaluate((element) => {
      const enter = new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true });
      Object.defineProperty(enter, 'keyCode', { value: 229 });
      element.dispatchEvent(enter);
    });
    // And a composition announced by events alone, with isComposing on its Enter.
    await field.evaluate((element) => {
      element.dispatchEvent(new CompositionEvent('compositionstart', { bubbles: true, data: '' }));
      element.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true, isComposing: true }));
      element.dispatchEvent(new CompositionEvent('compositionend', { bubbles: true, data: '' }));
    });
    await page.waitForTimeout(400);
    expect(await page.locator('.message-row').count()).toBe(0);
    expect(await field.inputValue()).toContain('日本語');

    await field.press('Enter');
    await messageRow(page, '日本語').waitFor();
    const history = await bob.messages.history(chat.id);
    expect(history.items.map((m) => m.text)).toEqual([expect.stringContaining('日本語')]);
    await context.close();
  });

  it('keeps right-to-left text clear of the time and ticks, which sit at the end of its last line', async () => {
    const { annAccount, ann, say } = await annAndBob('רות כהן');
    await say(ann, 'שלום! מה שלומך היום? '.repeat(6).trim());
    await say(ann, 'مرحبا');
    await say(ann, 'Hello there, a left-to-right line');
    await say(ann, '> ציטוט קצר מהשיחה\nותשובה אחריו');
    const { context, page } = await openChatAs(annAccount, 'רות כהן');
    await messageRow(page, 'ותשובה אחריו').waitFor();
    const boxes = await page.evaluate(() =>
      Array.from(document.querySelectorAll<HTMLElement>('.message-row .bubble')).map((bubble) => {
        const rects: DOMRect[] = [];
        const walker = document.createTreeWalker(bubble.querySelector('.rich-text') as Node, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          if (node.parentElement?.closest('.bubble-meta-spacer')) continue;
          const range = document.createRange();
          range.selectNodeContents(node);
          rects.push(...Array.from(range.getClientRects()));
        }
        const meta = (bubble.querySelector('.bubble-meta') as HTMLElement).getBoundingClientRect();
        const box = bubble.getBoundingClientRect();
        const overlaps = rects.some((r) => r.left < meta.right && r.right > meta.left && r.top < meta.bottom && r.bottom > meta.top);
        return {
          dir: bubble.dataset.textDir,
          lines: new Set(rects.map((r) => Math.round(r.top))).size,
          overlaps,
          metaInside: meta.left >= box.left && meta.right <= box.right,
          metaOnLeft: meta.left - box.left < box.right - meta.right,
        };
      }),
    );
    expect(boxes).toEqual([
      { dir: 'rtl', lines: expect.any(Number), overlaps: false, metaInside: true, metaOnLeft: true },
      { dir: 'rtl', lines: 1, overlaps: false, metaInside: true, metaOnLeft: true },
      { dir: 'ltr', lines: 1, overlaps: false, metaInside: true, metaOnLeft: false },
      { dir: 'rtl', lines: 2, overlaps: false, metaInside: true, metaOnLeft: true },
    ]);
    expect(boxes[0]?.lines).toBeGreaterThan(1);
    // A quote in right-to-left text has its bar on the right, and its padding between the bar and the words.
    const quote = await messageRow(page, 'ותשובה אחריו')
      .locator('.rich-quote')
      .evaluate((element) => {
        const style = getComputedStyle(element);
        const box = element.getBoundingClientRect();
        const range = document.createRange();
        range.selectNodeContents(element);
        const words = range.getBoundingClientRect();
        return { barRight: style.borderRightWidth, barLeft: style.borderLeftWidth, gapToBar: box.right - words.right };
      });
    expect(quote).toMatchObject({ barRight: '3px', barLeft: '0px' });
    // 3 px of bar and 10 px of padding (without logical padding the words touched the bar).
    expect(quote.gapToBar).toBeGreaterThanOrEqual(12);
    await context.close();
  });

  it('notices a lost network within 5 s, stops showing anyone online, and resumes when it is back', async () => {
    const { annAccount, bobPerson } = await annAndBob();
    const bobOnline = await online(ts, [bobPerson]);
    try {
      const { context, page } = await openChatAs(annAccount, 'Bob Baker');
      const subtitle = page.locator('.conversation-header .pane-header-subtitle');
      await subtitle.filter({ hasText: 'online' }).waitFor();
      await chatLink(page, 'Bob Baker').locator('.presence-dot').waitFor();
      const banner = page.getByRole('status').filter({ hasText: 'Connection lost' });

      const started = Date.now();
      await context.setOffline(true);
      await banner.waitFor({ timeout: 5000 });
      expect(Date.now() - started).toBeLessThan(5000);
      await subtitle.filter({ hasText: 'online' }).waitFor({ state: 'detached' });
      expect(await page.locator('.presence-dot').count()).toBe(0);

      await context.setOffline(false);
      await banner.waitFor({ state: 'detached', timeout: 15_000 });
      await subtitle.filter({ hasText: 'online' }).waitFor();
      await context.close();
    } finally {
      bobOnline();
    }
  });

  it('notices by its heartbeat a connection that went silent without closing', async () => {
    const { annAccount } = await annAndBob();
    const { context, page } = await openDevice(browser, ts);
    let silent = false;
    await page.routeWebSocket(/\/api\/v1\/ws$/, (ws) => {
      const upstream = ws.connectToServer();
      // A dead network: nothing comes back, and nothing says so.
      upstream.onMessage((message) => {
        if (!silent) ws.send(message);
      });
      ws.onMessage((message) => {
        if (!silent) upstream.send(message);
      });
    });
    await signIn(page, annAccount.username, annAccount.password);
    await chatLink(page, 'Bob Baker').click();
    await composer(page).waitFor();
    silent = true;
    const started = Date.now();
    await page.getByRole('status').filter({ hasText: 'Connection lost' }).waitFor({ timeout: 12_000 });
    // At most the 4 s of quiet before the ping, 3 s for its answer, and a little.
    expect(Date.now() - started).toBeLessThan(9000);
    await context.close();
  });

  it('keeps a message typed offline across a reload and sends it exactly once when the connection is back', async () => {
    const { annAccount, bob, chat } = await annAndBob();
    const { context, page } = await openChatAs(annAccount, 'Bob Baker');
    let blocked = true;
    await page.routeWebSocket(/\/api\/v1\/ws$/, (ws) => {
      if (blocked) return ws.close({ code: 4000, reason: 'blocked by the test' });
      ws.connectToServer();
    });
    await context.setOffline(true);
    await page.getByRole('status').filter({ hasText: 'Connection lost' }).waitFor();
    await send(page, 'Written on the train');
    await messageRow(page, 'Written on the train').locator('.bubble-meta [data-delivery="pending"]').waitFor();

    // The page is reloaded while the socket still can't get through: the message is kept on this device, unsent.
    await context.setOffline(false);
    await page.reload();
    await page.getByRole('status').filter({ hasText: 'Connection lost' }).waitFor();
    const stored = () =>
      page.evaluate(() =>
        Object.entries(localStorage)
          .filter(([key]) => key.startsWith('parley.outbox.'))
          .flatMap(([, value]) => (JSON.parse(value) as { text: string }[]).map((p) => p.text)),
      );
    expect(await stored()).toEqual(['Written on the train']);
    expect((await bob.messages.history(chat.id)).items).toHaveLength(0);
    const restored = messageRow(page, 'Written on the train');

    blocked = false;
    await page
      .getByRole('button', { name: 'Reconnect now' })
      .click({ timeout: 3000 })
      .catch(() => undefined);
    await restored
      .locator('.bubble-meta :is([data-delivery="sent"], [data-delivery="delivered"], [data-delivery="read"])')
      .waitFor({ timeout: 20_000 });
    expect((await bob.messages.history(chat.id)).items.map((m) => m.text)).toEqual(['Written on the train']);

    // Reloading again sends nothing more: the stored outbox is empty once acknowledged.
    await page.reload();
    await chatLink(page, 'Bob Baker').click();
    await messageRow(page, 'Written on the train').waitFor();
    expect(await messageRow(page, 'Written on the train').count()).toBe(1);
    expect((await bob.messages.history(chat.id)).items).toHaveLength(1);
    expect(await stored()).toEqual([]);
    await context.close();
  });

  it('shows ✓ sent, then ✓✓ delivered once a device of the recipient has it, then green ✓✓ read', async () => {
    const { annAccount, bob, bobPerson, chat } = await annAndBob();
    const { context, page } = await openChatAs(annAccount, 'Bob Baker');
    await send(page, 'While Bob is away');
    const away = messageRow(page, 'While Bob is away');
    await away.locator('.bubble-meta [data-delivery="sent"]').waitFor();

    // Bob's browser starts: the message came with his chat list, and that counts as delivered.
    const bobDevice = await openDevice(browser, ts);
    await signIn(bobDevice.page, bobPerson.account.username, bobPerson.account.password);
    await away.locator('.bubble-meta [data-delivery="delivered"]').waitFor();
    // And a message arriving live is confirmed by his device at once.
    await send(page, 'Now Bob has a device on');
    const delivered = messageRow(page, 'Now Bob has a device on').locator('.bubble-meta [data-delivery="delivered"]');
    await delivered.waitFor();
    expect(await delivered.getAttribute('title')).toBe('Delivered');
    const deliveredColour = await delivered.evaluate((el) => getComputedStyle(el).color);

    const newest = (await bob.messages.history(chat.id)).items.at(-1);
    await bob.chats.markRead(chat.id, newest?.seq ?? 0);
    const read = messageRow(page, 'Now Bob has a device on').locator('.bubble-meta [data-delivery="read"]');
    await read.waitFor();
    expect(await read.evaluate((el) => getComputedStyle(el).color)).not.toBe(deliveredColour);
    expect(await read.locator('path').count()).toBe(2);
    await bobDevice.context.close();
    await context.close();
  });

  it('Ctrl+K jumps to a chat by name, Alt+↑/↓ moves between chats, ? lists the shortcuts, Esc closes panels, dialogs start in their field', async () => {
    const { annAccount, ann, annUser, say } = await annAndBob();
    const carolAccount = await registerAccount(ts, newAccount('carol'));
    await setDisplayName(ts, carolAccount, 'Carol Cole');
    const carol = ts.client();
    const { user: carolUser } = await carol.auth.login({ login: carolAccount.username, password: carolAccount.password });
    const carolChat = await carol.chats.openDirect(annUser.id);
    await say(carol, 'Hi from Carol', carolChat.id);
    await say(ann, 'Hi Bob');
    expect(carolUser.id).toBeTruthy();

    const { context, page } = await openDevice(browser, ts);
    await signIn(page, annAccount.username, annAccount.password);
    await chatLink(page, 'Carol Cole').waitFor();

    await page.keyboard.press('Control+k');
    const switcher = page.getByRole('dialog', { name: 'Jump to a chat' });
    const field = switcher.getByRole('combobox', { name: 'Chat or person' });
    await field.waitFor();
    expect(await field.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.type('caro');
    await switcher.getByRole('option', { name: 'Carol Cole' }).waitFor();
    // One chat matches; the message search (issue 12) offers the last row.
    expect(await switcher.getByRole('option').locator('.picker-row-name').allTextContents()).toEqual([
      'Carol Cole',
      'Search messages for “caro”',
    ]);
    await page.keyboard.press('Enter');
    await switcher.waitFor({ state: 'detached' });
    await page.locator('.conversation-title', { hasText: 'Carol Cole' }).waitFor();

    // The list is Bob (newest) then Carol: Alt+↑ from Carol opens Bob, Alt+↓ comes back.
    await page.keyboard.press('Alt+ArrowUp');
    await page.locator('.conversation-title', { hasText: 'Bob Baker' }).waitFor();
    await page.keyboard.press('Alt+ArrowDown');
    await page.locator('.conversation-title', { hasText: 'Carol Cole' }).waitFor();

    // ? outside a field lists the shortcuts; Escape closes the list.
    await page.locator('.conversation-title').click();
    await page.getByRole('button', { name: 'Chat info' }).waitFor();
    await page.keyboard.press('Escape');
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.keyboard.press('?');
    const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await help.getByText('Jump to a chat').waitFor();
    await page.keyboard.press('Escape');
    await help.waitFor({ state: 'detached' });
    // ? typed in the composer is just a question mark.
    await composer(page).fill('');
    await composer(page).press('?');
    expect(await help.count()).toBe(0);
    expect(await composer(page).inputValue()).toBe('?');

    // Esc closes the chat info panel.
    await page.getByRole('button', { name: 'Chat info' }).click();
    const info = page.getByRole('button', { name: 'Close chat info' });
    await info.waitFor();
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.keyboard.press('Escape');
    await info.waitFor({ state: 'detached' });

    // "New message" starts in its search field, not on Close.
    await page.getByRole('button', { name: 'New chat' }).click();
    await page.getByRole('menuitem', { name: 'New message' }).click();
    const dialog = page.getByRole('dialog', { name: 'New message' });
    await dialog.waitFor();
    expect(await dialog.getByLabel('Find a person').evaluate((el) => el === document.activeElement)).toBe(true);
    await context.close();
  });

  it('updates the badge and title of the device you read on the moment you read, before the end is reached', async () => {
    const { annAccount, ann, bob, chat, say } = await annAndBob();
    for (let i = 1; i <= 30; i++)
      await say(bob, `Unread number ${i}: ${'a line long enough to wrap once or twice in the bubble, '.repeat(2)}`);
    const { context, page } = await openDevice(browser, ts);
    await signIn(page, annAccount.username, annAccount.password);
    const badge = chatLink(page, 'Bob Baker').locator('.unread-badge');
    await badge.filter({ hasText: '30' }).waitFor();
    await expect.poll(() => page.title()).toMatch(/^\(30\)/);
    await chatLink(page, 'Bob Baker').click();
    await messageRow(page, 'Unread number 1:').waitFor();
    // Only part of the chat is on screen: the badge drops to what is left at once, without scrolling to the end.
    const count = async () => Number(/^\d+/.exec((await badge.textContent()) ?? '')?.[0] ?? 0);
    await expect.poll(count, { timeout: 1500 }).toBeLessThan(30);
    const left = await count();
    expect(left).toBeGreaterThan(0);
    await expect.poll(() => page.title(), { timeout: 1500 }).toMatch(new RegExp(`^\\(${left}\\)`));
    // The server counts the same once it has the mark.
    await expect.poll(async () => (await ann.chats.get(chat.id)).unreadCount).toBe(left);
    // Reading to the end clears both.
    await page.locator('.message-scroller').evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
    await badge.waitFor({ state: 'detached' });
    await expect.poll(() => page.title()).not.toMatch(/^\(\d+\)/);
    await context.close();
  });

  it('keeps a system line in order around a name holding a right-to-left override (U+202E)', async () => {
    const { annAccount, annUser, bob, bobUser } = await annAndBob();
    // Stored before the server refused overrides in names.
    await ts.server.storage.db.updateTable('users').set({ display_name: 'Mal\u202Eyrol' }).where('id', '=', bobUser.id).execute();
    const group = await bob.chats.create({ kind: 'group', name: 'Override', memberIds: [annUser.id] });
    expect(group.id).toBeTruthy();
    const { context, page } = await openChatAs(annAccount, 'Override');
    const line = page.locator('.system-row', { hasText: 'created the chat' });
    await line.waitFor();
    // Each character's left edge: "created the chat" must read left to right, after the name.
    const order = await line.evaluate((row) => {
      const text = row.textContent ?? '';
      const walker = document.createTreeWalker(row, NodeFilter.SHOW_TEXT);
      const edges: { char: string; left: number }[] = [];
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        for (let i = 0; i < (node.textContent ?? '').length; i++) {
          const range = document.createRange();
          range.setStart(node, i);
          range.setEnd(node, i + 1);
          const box = range.getBoundingClientRect();
          if (box.width > 0 && node.textContent?.[i]?.trim()) edges.push({ char: node.textContent?.[i] ?? '', left: box.left });
        }
      }
      return { text, edges };
    });
    expect(order.text.replace(/[\u2066-\u2069]/g, '')).toMatch(/yrol created the chat$/);
    expect(order.text).not.toContain('\u202E');
    const words = order.edges.slice(-'created the chat'.replace(/ /g, '').length);
    expect(words.map((e) => e.char).join('')).toBe('createdthechat');
    const lefts = words.map((e) => e.left);
    expect(lefts).toEqual([...lefts].sort((a, b) => a - b));
    // And the name comes first, on the left.
    const nameStart = order.edges.find((e) => e.char === 'M');
    expect(nameStart?.left ?? Number.POSITIVE_INFINITY).toBeLessThan(lefts[0] ?? 0);
    await context.close();
  });

  it('asks before removing a member, hands ownership over from the member menu, and words system lines you caused as yours', async () => {
    const { annAccount, ann, bobUser } = await annAndBob();
    const carolAccount = await registerAccount(ts, newAccount('carol'));
    await setDisplayName(ts, carolAccount, 'Carol Cole');
    const carol = ts.client();
    const { user: carolUser } = await carol.auth.login({ login: carolAccount.username, password: carolAccount.password });
    const group = await ann.chats.create({ kind: 'group', name: 'Book club', memberIds: [bobUser.id, carolUser.id] });
    const { context, page } = await openDevice(browser, ts);
    await signIn(page, annAccount.username, annAccount.password);
    await chatLink(page, 'Book club').click();
    await page.locator('.system-row', { hasText: 'You created the chat' }).waitFor();
    await page.locator('.system-row', { hasText: 'You added' }).filter({ hasText: 'Bob Baker and Carol Cole' }).waitFor();
    await page.getByRole('button', { name: 'Chat info' }).click();

    await page.getByRole('button', { name: 'Actions for Bob Baker' }).click();
    await page.getByRole('menuitem', { name: 'Remove from chat' }).click();
    const ask = page.getByRole('dialog', { name: 'Remove Bob Baker from the chat?' });
    await ask.getByRole('button', { name: 'Cancel' }).click();
    await ask.waitFor({ state: 'detached' });
    expect((await ann.chats.members(group.id)).items.map((m) => m.user.id)).toContain(bobUser.id);
    await page.getByRole('button', { name: 'Actions for Bob Baker' }).click();
    await page.getByRole('menuitem', { name: 'Remove from chat' }).click();
    await ask.getByRole('button', { name: 'Remove' }).click();
    await page.locator('.system-row', { hasText: 'You removed' }).waitFor();
    expect((await ann.chats.members(group.id)).items.map((m) => m.user.id)).not.toContain(bobUser.id);

    await page.getByRole('button', { name: 'Actions for Carol Cole' }).click();
    await page.getByRole('menuitem', { name: 'Make owner' }).click();
    await page.getByRole('dialog', { name: 'Make Carol Cole the owner?' }).getByRole('button', { name: 'Make owner' }).click();
    await page.locator('.system-row', { hasText: 'Carol Cole is now the owner' }).waitFor();
    const roles = (await ann.chats.members(group.id)).items.map((m) => [m.user.id, m.role]);
    expect(roles).toEqual(
      expect.arrayContaining([
        [carolUser.id, 'owner'],
        [expect.any(String), 'admin'],
      ]),
    );
    await context.close();
  });

  it('on a phone, the Back button says how many other chats have unread messages', async () => {
    const { annAccount, annUser, bob, say } = await annAndBob();
    const carolAccount = await registerAccount(ts, newAccount('carol'));
    await setDisplayName(ts, carolAccount, 'Carol Cole');
    const carol = ts.client();
    await carol.auth.login({ login: carolAccount.username, password: carolAccount.password });
    const carolChat = await carol.chats.openDirect(annUser.id);
    await say(bob, 'From Bob');
    await say(carol, 'From Carol', carolChat.id);
    const { context, page } = await openDevice(browser, ts, { viewport: 'phone' });
    await signIn(page, annAccount.username, annAccount.password);
    await chatLink(page, 'Bob Baker').click();
    await messageRow(page, 'From Bob').waitFor();
    const back = page.getByRole('button', { name: 'Back, 1 unread chat' });
    await back.waitFor();
    expect(await back.locator('.back-unread').textContent()).toBe('1');
    await say(bob, 'Read here, so not counted');
    await messageRow(page, 'Read here').waitFor();
    await back.waitFor();
    await context.close();
  });

  it('counts down near the 10,000-character limit and past it offers to send as several messages or to trim, never cutting silently', async () => {
    const { annAccount, bob, chat } = await annAndBob();
    const { context, page } = await openChatAs(annAccount, 'Bob Baker');
    const field = composer(page);
    const limit = page.locator('.composer-limit');
    const send = page.getByRole('button', { name: 'Send', exact: true });

    await field.fill('a'.repeat(8999));
    expect(await limit.count()).toBe(0);
    await field.fill('a'.repeat(9200));
    await limit.getByText('800 characters left').waitFor();
    expect(await limit.getAttribute('role')).toBeNull();

    // 2,100 words of four characters and the spaces between: 10,499 characters, 499 over.
    const words = Array.from({ length: 2100 }, (_, i) => `w${String(i).padStart(3, '0')}`.slice(-4)).join(' ');
    expect(words).toHaveLength(10_499);
    await field.fill(words);
    const over = page.getByRole('alert').filter({ hasText: '499 characters over the limit' });
    await over.getByText('A message can be up to 10,000 characters.').waitFor();
    expect(await send.isDisabled()).toBe(true);
    expect(await field.getAttribute('aria-invalid')).toBe('true');
    await field.press('Enter');
    await page.waitForTimeout(300);
    expect(await page.locator('.message-row').count()).toBe(0);
    expect(await field.inputValue()).toBe(words);

    // Sent as two messages, cut between words, in order, nothing lost.
    await over.getByRole('button', { name: 'Send as 2 messages' }).click();
    await expect.poll(async () => (await bob.messages.history(chat.id)).items.length).toBe(2);
    const parts = (await bob.messages.history(chat.id)).items.map((m) => m.text);
    expect(parts.every((part) => [...part].length <= 10_000)).toBe(true);
    expect(parts.join(' ')).toBe(words);
    await expect.poll(() => page.locator('.message-row').count()).toBe(2);
    expect(await field.inputValue()).toBe('');

    // Or trimmed to the limit, then sent as one. Counts are grouped as the reader's language groups them.
    await field.fill(`${'b'.repeat(9990)}${'c'.repeat(1015)}`);
    await page.getByRole('alert').filter({ hasText: '1,005 characters over the limit' }).waitFor();
    await page.getByRole('button', { name: 'Trim to 10,000 characters' }).click();
    expect(await field.inputValue()).toBe(`${'b'.repeat(9990)}${'c'.repeat(10)}`);
    await limit.getByText('0 characters left').waitFor();
    await field.press('Enter');
    await expect.poll(async () => (await bob.messages.history(chat.id)).items.length).toBe(3);
    expect((await bob.messages.history(chat.id)).items.at(-1)?.text).toHaveLength(10_000);
    await context.close();
  });

  it('held at the top by a scrollbar drag, asks for older history at most one page every 600 ms', async () => {
    const { annAccount, annUser, bobUser, chat } = await annAndBob();
    // 2,000 messages written straight into the database (40 pages of history).
    const total = 2000;
    const start = Date.now() - total * 60_000;
    const rows = Array.from({ length: total }, (_, i) => ({
      id: `drag${chat.id.slice(-6)}${String(i + 1).padStart(5, '0')}`,
      chat_id: chat.id,
      seq: i + 1,
      kind: 'text' as const,
      sender_id: i % 2 ? annUser.id : bobUser.id,
      client_id: null,
      text: `History line ${i + 1}`,
      reply_to_id: null,
      forwarded_from: null,
      private_to: null,
      system: null,
      mentions: '[]',
      created_at: start + (i + 1) * 60_000,
      edited_at: null,
      deleted_at: null,
    }));
    const db = ts.server.storage.db;
    await db.transaction().execute(async (tx) => {
      for (let i = 0; i < rows.length; i += 500)
        await tx
          .insertInto('messages')
          .values(rows.slice(i, i + 500))
          .execute();
      await tx
        .updateTable('chats')
        .set({ last_seq: total, last_activity_at: start + total * 60_000 })
        .where('id', '=', chat.id)
        .execute();
      await tx.updateTable('chat_members').set({ last_read_seq: total }).where('chat_id', '=', chat.id).execute();
    });
    const { context, page } = await openChatAs(annAccount, 'Bob Baker');
    await messageRow(page, `History line ${total}`).waitFor();
    const olderPages: number[] = [];
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (request.method() === 'GET' && url.pathname.endsWith(`/chats/${chat.id}/messages`) && url.searchParams.has('before'))
        olderPages.push(Date.now());
    });
    // The thumb dragged to the top and held there for 3 s: the view is put back at the top every frame.
    await page.locator('.message-scroller').evaluate(
      (scroller) =>
        new Promise<void>((resolve) => {
          const until = performance.now() + 3000;
          const hold = () => {
            scroller.scrollTop = 0;
            scroller.dispatchEvent(new Event('scroll'));
            if (performance.now() < until) requestAnimationFrame(hold);
            else resolve();
          };
          hold();
        }),
    );
    // Pages keep coming while it is held, but not one per frame: 3 s at one per 600 ms is 6 at most.
    expect(olderPages.length).toBeGreaterThanOrEqual(2);
    expect(olderPages.length).toBeLessThanOrEqual(6);
    const gaps = olderPages.slice(1).map((at, i) => at - (olderPages[i] ?? 0));
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(500);
    await context.close();
  });

  it('names a deleted account in the reader’s language wherever the server copied its English placeholder', async () => {
    const { annAccount, ann, annUser, bob, bobPerson, bobUser } = await annAndBob();
    const carolAccount = await registerAccount(ts, newAccount('carol'));
    await setDisplayName(ts, carolAccount, 'Carol Cole');
    const carol = ts.client();
    const { user: carolUser } = await carol.auth.login({ login: carolAccount.username, password: carolAccount.password });
    const group = await ann.chats.create({ kind: 'group', name: 'Клуб', memberIds: [bobUser.id, carolUser.id] });
    const first = await bob.messages.send(group.id, { clientId: 'gone-1', text: 'Первое сообщение' });
    await carol.messages.send(group.id, { clientId: 'gone-2', text: 'Отвечаю на него', replyTo: first.id });
    const notes = await carol.chats.openDirect(annUser.id);
    await ann.messages.forward(group.id, [first.id], [notes.id]);
    await bob.users.deleteMe(bobPerson.account.password);

    const russian = await browser.newContext({
      baseURL: ts.url,
      locale: 'ru-RU',
      viewport: { width: 1280, height: 800 },
      timezoneId: 'UTC',
    });
    const page = await russian.newPage();
    page.on('pageerror', (error) => pageErrors.push(error));
    await page.goto('/signin');
    await page.getByLabel('Имя пользователя или эл. почта').fill(annAccount.username);
    await page.getByLabel('Пароль', { exact: true }).fill(annAccount.password);
    await page.getByRole('button', { name: 'Войти' }).click();
    await page.locator('.chat-row-name', { hasText: 'Клуб' }).click();
    const reply = messageRow(page, 'Отвечаю на него');
    // The quote's author, the message's sender and the system line all use the reader's words.
    await reply.locator('.reply-quote-name', { hasText: 'Удалённый пользователь' }).waitFor();
    await messageRow(page, 'Первое сообщение').getByText('Удалённый пользователь').waitFor();
    await page.locator('.system-row', { hasText: 'Удалённый пользователь покидает чат' }).waitFor();
    expect(await page.getByText('Deleted user').count()).toBe(0);
    // And so does a message forwarded from them.
    await page.locator('.chat-row-name', { hasText: 'Carol Cole' }).click();
    await messageRow(page, 'Первое сообщение').locator('.bubble-forwarded-name', { hasText: 'Удалённый пользователь' }).waitFor();
    expect(await page.getByText('Deleted user').count()).toBe(0);
    // The direct chat with them: its name, the window's title and the landmarks say it too.
    await page.locator('.chat-row-name', { hasText: 'Удалённый пользователь' }).click();
    await page.locator('.conversation-title', { hasText: 'Удалённый пользователь' }).waitFor();
    await expect.poll(() => page.title()).toBe('Удалённый пользователь · Parley');
    await page.getByRole('region', { name: 'Удалённый пользователь' }).waitFor();
    expect(await page.locator('[aria-label*="Deleted user"]').count()).toBe(0);
    await russian.close();
  });

  it('switches the whole app to the language picked in settings, keeps it on the account, and follows the browser by default', async () => {
    const account = await registerAccount(ts, newAccount('polyglot'));
    const russian = await browser.newContext({ baseURL: ts.url, locale: 'ru-RU', viewport: { width: 1280, height: 800 } });
    const page: Page = await russian.newPage();
    page.on('pageerror', (error) => pageErrors.push(error));
    await page.goto('/signin');
    // The browser says Russian: the sign-in screen does too.
    await page.getByRole('heading', { name: 'Вход в Parley' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('ru');
    await page.getByLabel('Имя пользователя или эл. почта').fill(account.username);
    await page.getByLabel('Пароль', { exact: true }).fill(account.password);
    await page.getByRole('button', { name: 'Войти' }).click();
    await page.getByRole('heading', { name: 'Чаты' }).waitFor();
    await page.getByRole('button', { name: 'Меню аккаунта' }).click();
    await page.getByRole('menuitem', { name: 'Настройки' }).click();
    await page.getByLabel('Язык приложения').selectOption('ko');
    await page.getByRole('heading', { name: '설정', level: 1 }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('ko');
    await russian.close();

    // Another device, an English browser: the account's choice wins.
    const { context, page: english } = await openDevice(browser, ts);
    await english.goto('/signin');
    await english.getByRole('heading', { name: 'Sign in to Parley' }).waitFor();
    await english.getByLabel('Username or email').fill(account.username);
    await english.getByLabel('Password', { exact: true }).fill(account.password);
    await english.getByRole('button', { name: 'Sign in' }).click();
    await english.getByRole('heading', { name: '채팅' }).waitFor();
    // Back to "same as the browser": English again.
    await english.getByRole('button', { name: '계정 메뉴' }).click();
    await english.getByRole('menuitem', { name: '설정', exact: true }).click();
    await english.getByLabel('앱 언어').selectOption('browser');
    await english.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();
    await openSettings(english).catch(() => undefined);
    await context.close();
  });
});
