/**
 * Text from other people is only ever text: markup is shown, not run; links survive only
 * with http, https or mailto targets and open safely; bidi override characters stay
 * inside the message (or name) that contains them. Basic Markdown still works.
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

const HOSTILE = [
  '<img src=x onerror="window.__pwned = 1">',
  '<script>window.__pwned = 2</script>',
  '[click for a prize](javascript:window.__pwned=3)',
  'javascript:window.__pwned=4',
  '<a href="javascript:window.__pwned=5">html link</a>',
  '[data](data:text/html;base64,PHNjcmlwdD53aW5kb3cuX19wd25lZD02PC9zY3JpcHQ+)',
  'evil \u202Etxt.exe\u202C and then normal text',
  '**bold**, _italic_, `code`, a [safe link](https://example.org/docs) and https://example.org/plain',
  'log in at [https://bank.example/login](https://evil.example/steal)',
];

describe.skipIf(!CHROMIUM_AVAILABLE)('hostile text', () => {
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

  it('renders markup, script links and RTL overrides as inert text, and nothing runs', async () => {
    const annAccount = await registerAccount(ts, newAccount('ann'));
    const mallory = ts.client();
    const malloryAccount = newAccount('mallory');
    await mallory.auth.register(malloryAccount);
    // A display name with an override and markup, too. The server refuses overrides in
    // names now, so this is one stored before it did.
    await expect(mallory.users.updateMe({ displayName: 'Mal\u202Eyrol' })).rejects.toMatchObject({ code: 'validation_failed' });
    const malloryUser = await mallory.users.me();
    await ts.server.storage.db
      .updateTable('users')
      .set({ display_name: 'Mal\u202Eyrol <b>x</b>' })
      .where('id', '=', malloryUser.id)
      .execute();
    const annUser = (await mallory.users.search('ann')).items.find((u) => u.username === annAccount.username);
    if (!annUser) throw new Error('ann not found');
    const chat = await mallory.chats.openDirect(annUser.id);
    for (const [i, text] of HOSTILE.entries()) await mallory.messages.send(chat.id, { clientId: `hostile-${i}`, text });

    const { context, page } = await openDevice(browser, ts);
    let dialogs = 0;
    page.on('dialog', (dialog) => {
      dialogs += 1;
      void dialog.dismiss();
    });
    await signIn(page, annAccount.username, annAccount.password);
    await chatLink(page, 'Mal').click();
    await messageRow(page, 'and then normal text').waitFor();

    // Markup shows as typed.
    await messageRow(page, '<img src=x onerror="window.__pwned = 1">').waitFor();
    await messageRow(page, '<script>window.__pwned = 2</script>').waitFor();
    await messageRow(page, '[click for a prize](javascript:window.__pwned=3)').waitFor();
    const list = page.locator('.message-list');
    expect(await list.locator('img, script, iframe, object, embed, b').count()).toBe(0);

    // Every link is http(s)/mailto, opens a new tab, and carries no referrer or opener.
    const links = await list
      .locator('a')
      .evaluateAll((anchors) =>
        anchors.map((a) => ({ href: (a as HTMLAnchorElement).href, rel: a.getAttribute('rel'), target: a.getAttribute('target') })),
      );
    expect(links.map((l) => l.href)).toEqual(['https://example.org/docs', 'https://example.org/plain', 'https://evil.example/steal']);
    for (const link of links) expect(link).toMatchObject({ rel: 'noopener noreferrer nofollow', target: '_blank' });
    // A link whose text names another host shows where it really goes.
    expect(await messageRow(page, 'log in at').locator('a').textContent()).toBe('https://bank.example/login (evil.example)');

    // Markdown that is not hostile still renders.
    const formatted = messageRow(page, 'safe link');
    expect(await formatted.locator('strong').textContent()).toBe('bold');
    expect(await formatted.locator('em').textContent()).toBe('italic');
    expect(await formatted.locator('code').textContent()).toBe('code');

    // Clicking the would-be script links does nothing.
    await messageRow(page, '[click for a prize]').locator('.rich-paragraph').click();
    await messageRow(page, 'javascript:window.__pwned=4').locator('.rich-paragraph').click();

    // Bidi overrides are isolated: message text and names are their own bidi runs.
    const rtl = messageRow(page, 'and then normal text').locator('.rich-text');
    expect(await rtl.evaluate((el) => [el.getAttribute('dir'), getComputedStyle(el).unicodeBidi])).toEqual(['auto', 'isolate']);
    const name = page.locator('.conversation-title bdi');
    expect(await name.textContent()).toBe('Mal\u202Eyrol <b>x</b>');
    expect(await page.locator('.chat-row-name').evaluate((el) => el.tagName)).toBe('BDI');

    expect(await page.evaluate(() => (window as { __pwned?: unknown }).__pwned)).toBeUndefined();
    expect(dialogs).toBe(0);
    expect(new URL(page.url()).pathname).toBe(`/chats/${chat.id}`);
    await context.close();
  });
});
