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
    // A client missing more than a few events is told to resync (the default is 1,000).
    [server, browser] = await Promise.all([startRestartableAppServer({ RESUME_MAX_EVENTS: '5' }), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });
  afterEach(async (context) => {
    await screenshotOnFailure(context);
    // While the server is down the browser logs failed requests; those are the point of this test.
    pageErrors.splice(
      0,
      pageErrors.length,
      ...pageErrors.filter((e) => !/ERR_CONNECTION_REFUSED|WebSocket connection|blocked/.test(e.message)),
    );
    expect(pageErrors).toEqual([]);
  });

  async function twoPeople() {
    const annAccount = await registerAccount(server, newAccount('ann'));
    const bobAccount = await registerAccount(server, newAccount('bob'));
    await setDisplayName(server, bobAccount, 'Bob Baker');
    const bob = server.client();
    const { user: bobUser } = await bob.auth.login({ login: bobAccount.username, password: bobAccount.password });
    const ann = server.client();
    const { user: annUser } = await ann.auth.login({ login: annAccount.username, password: annAccount.password });
    const chat = await ann.chats.openDirect(bobUser.id);
    return { annAccount, annUser, ann, bob, chat };
  }

  it('resyncs after missing too much: reloads the chat list and the open chat, then continues live', async () => {
    const { annAccount, bob, chat } = await twoPeople();
    await bob.messages.send(chat.id, { clientId: 'resync-0', text: 'Before the gap' });
    const { context, page } = await openDevice(browser, server);
    await signIn(page, annAccount.username, annAccount.password);
    await chatLink(page, 'Bob Baker').click();
    await messageRow(page, 'Before the gap').waitFor();

    // The server restarts, and this browser can't get back in for a while (its sockets are refused)…
    let blocked = true;
    await page.routeWebSocket(/\/api\/v1\/ws$/, (ws) => {
      if (blocked) ws.close({ code: 4000, reason: 'blocked by the test' });
      else ws.connectToServer();
    });
    await server.stop();
    await server.start();
    await page.getByRole('status').filter({ hasText: 'Reconnecting' }).waitFor();
    // …while Bob writes more than the server will replay.
    for (let i = 1; i <= 8; i++) await bob.messages.send(chat.id, { clientId: `resync-${i}`, text: `Missed message ${i}` });

    blocked = false;
    await page.getByRole('button', { name: 'Reconnect now' }).click();
    await page.getByRole('status').filter({ hasText: 'Reconnecting' }).waitFor({ state: 'detached', timeout: RECONNECT_TIMEOUT_MS });
    await messageRow(page, 'Missed message 8').waitFor();
    for (let i = 1; i <= 8; i++) expect(await messageRow(page, `Missed message ${i}`).count()).toBe(1);
    await bob.messages.send(chat.id, { clientId: 'resync-live', text: 'And live again' });
    await messageRow(page, 'And live again').waitFor();
    await context.close();
  });

  it('shows a banner while disconnected and sends a message typed offline exactly once when the server is back', async () => {
    const { annAccount, annUser, bob, chat } = await twoPeople();
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
