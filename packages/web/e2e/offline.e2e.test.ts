/**
 * The server goes away and comes back (same port, same database): the app says it is
 * reconnecting, a message typed meanwhile waits as pending, and after the reconnect it
 * is delivered exactly once — and what others sent meanwhile arrives too.
 */
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  CHROMIUM_AVAILABLE,
  chatLink,
  launchChromium,
  messageRow,
  newAccount,
  openDevice,
  pageErrors,
  type RestartableServer,
  registerAccount,
  screenshotOnFailure,
  send,
  setDisplayName,
  signIn,
  startRestartableAppServer,
} from './harness.js';

const RECONNECT_TIMEOUT_MS = 25_000;

describe.skipIf(!CHROMIUM_AVAILABLE)('losing the server', () => {
  let server: RestartableServer;
  let browser: Browser;
  beforeAll(async () => {
    [server, browser] = await Promise.all([startRestartableAppServer(), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });
  afterEach(async (context) => {
    await screenshotOnFailure(context);
    // While the server is down the browser logs failed requests; those are the point of this test.
    pageErrors.splice(0, pageErrors.length, ...pageErrors.filter((e) => !/ERR_CONNECTION_REFUSED|WebSocket connection/.test(e.message)));
    expect(pageErrors).toEqual([]);
  });

  it('shows a banner while disconnected and sends a message typed offline exactly once when the server is back', async () => {
    const annAccount = await registerAccount(server, newAccount('ann'));
    const bobAccount = await registerAccount(server, newAccount('bob'));
    await setDisplayName(server, bobAccount, 'Bob Baker');
    const bob = server.client();
    const { user: bobUser } = await bob.auth.login({ login: bobAccount.username, password: bobAccount.password });
    const ann = server.client();
    const { user: annUser } = await ann.auth.login({ login: annAccount.username, password: annAccount.password });
    const chat = await ann.chats.openDirect(bobUser.id);
    await bob.messages.send(chat.id, { clientId: 'before-1', text: 'Before the outage' });

    const { context, page } = await openDevice(browser, server);
    await signIn(page, annAccount.username, annAccount.password);
    await chatLink(page, 'Bob Baker').click();
    await messageRow(page, 'Before the outage').waitFor();
    const banner = page.getByRole('status').filter({ hasText: 'Connection lost. Reconnecting…' });
    expect(await banner.count()).toBe(0);

    await server.stop();
    await banner.waitFor();

    await send(page, 'Typed while the server was down');
    const pending = messageRow(page, 'Typed while the server was down');
    await pending.locator('.bubble-meta [data-delivery="pending"]').waitFor();
    expect(await pending.getAttribute('data-pending')).toBe('true');

    await server.start();
    // Someone else writes right after the restart, possibly before we are back: we must not miss it.
    await bob.messages.send(chat.id, { clientId: 'after-1', text: 'Back online?' });

    await banner.waitFor({ state: 'detached', timeout: RECONNECT_TIMEOUT_MS });
    await pending.locator('.bubble-meta [data-delivery="sent"], .bubble-meta [data-delivery="read"]').waitFor();
    await messageRow(page, 'Back online?').waitFor();

    const history = await bob.messages.history(chat.id);
    expect(history.items.filter((m) => m.text === 'Typed while the server was down')).toHaveLength(1);
    expect(history.items.find((m) => m.text === 'Typed while the server was down')?.senderId).toBe(annUser.id);
    expect(await messageRow(page, 'Typed while the server was down').count()).toBe(1);

    // And after a reload, still once.
    await page.reload();
    await messageRow(page, 'Back online?').waitFor();
    expect(await messageRow(page, 'Typed while the server was down').count()).toBe(1);
    await context.close();
  });
});
