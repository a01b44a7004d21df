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
    // A stream missing more than a few events is reloaded instead of replayed (the default is 1,000).
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

  it('after missing too much in the open chat reloads it, replays the rest, and drops a chat it was removed from', async () => {
    const { annAccount, annUser, bob, chat } = await twoPeople();
    const carolAccount = await registerAccount(server, newAccount('carol'));
    await setDisplayName(server, carolAccount, 'Carol Cole');
    const carol = server.client();
    await carol.auth.login({ login: carolAccount.username, password: carolAccount.password });
    const carolsChat = await carol.chats.openDirect(annUser.id);
    await carol.messages.send(carolsChat.id, { clientId: 'carol-0', text: 'Hi from Carol' });
    const group = await bob.chats.create({ kind: 'group', name: 'Weekend plans', memberIds: [annUser.id] });
    await bob.messages.send(chat.id, { clientId: 'gap-0', text: 'Before the gap' });

    const { context, page } = await openDevice(browser, server);
    // A stream that skips a position is a server bug, which the SDK reports with a warning.
    const warnings: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'warning' && message.text().includes('[parley]')) warnings.push(message.text());
    });
    await signIn(page, annAccount.username, annAccount.password);
    await chatLink(page, 'Bob Baker').click();
    await messageRow(page, 'Before the gap').waitFor();
    await chatLink(page, 'Weekend plans').waitFor();
    await chatLink(page, 'Carol Cole').locator('.unread-badge', { hasText: '1' }).waitFor();

    // The server restarts, and this browser can't get back in for a while (its sockets are refused)…
    let blocked = true;
    const hellos: Array<{ replay: string; reload: string[]; gone: string[] }> = [];
    await page.routeWebSocket(/\/api\/v1\/ws$/, (ws) => {
      if (blocked) return ws.close({ code: 4000, reason: 'blocked by the test' });
      const upstream = ws.connectToServer();
      upstream.onMessage((message) => {
        const frame = JSON.parse(String(message)) as { type: string; result?: { replay?: string; reload: string[]; gone: string[] } };
        if (frame.type === 'result' && frame.result?.replay) hellos.push({ ...frame.result, replay: frame.result.replay });
        ws.send(message);
      });
    });
    await server.stop();
    await server.start();
    await page.getByRole('status').filter({ hasText: 'Reconnecting' }).waitFor();
    // …while Bob writes more in the open chat than the server replays (RESUME_MAX_EVENTS), Carol
    // writes a little in hers, and Bob removes Ann from the group.
    for (let i = 1; i <= 8; i++) await bob.messages.send(chat.id, { clientId: `gap-${i}`, text: `Missed message ${i}` });
    for (let i = 1; i <= 3; i++) await carol.messages.send(carolsChat.id, { clientId: `carol-${i}`, text: `Carol again ${i}` });
    await bob.chats.removeMember(group.id, annUser.id);

    blocked = false;
    // The button only hurries the reconnect: the SDK's own backoff may win the race, and
    // then the banner (and its button) is gone before the click lands — that is fine.
    const reconnectNow = page.getByRole('button', { name: 'Reconnect now' });
    await reconnectNow.click({ timeout: 3000 }).catch(async (error: unknown) => {
      if ((await reconnectNow.count()) > 0) throw error;
    });
    await page.getByRole('status').filter({ hasText: 'Reconnecting' }).waitFor({ state: 'detached', timeout: RECONNECT_TIMEOUT_MS });
    await messageRow(page, 'Missed message 8').waitFor();
    for (let i = 1; i <= 8; i++) expect(await messageRow(page, `Missed message ${i}`).count()).toBe(1);
    expect(await messageRow(page, 'Before the gap').count()).toBe(1);
    await chatLink(page, 'Carol Cole').getByText('Carol again 3').waitFor();
    await chatLink(page, 'Carol Cole').locator('.unread-badge', { hasText: '4' }).waitFor();
    await chatLink(page, 'Weekend plans').waitFor({ state: 'detached' });
    // The open chat came back by reload, Carol's by replay, the group as gone.
    expect(hellos).toEqual([expect.objectContaining({ replay: 'replayed', reload: [`c:${chat.id}`], gone: [`c:${group.id}`] })]);

    await bob.messages.send(chat.id, { clientId: 'gap-live', text: 'And live again' });
    await messageRow(page, 'And live again').waitFor();
    await carol.messages.send(carolsChat.id, { clientId: 'carol-live', text: 'Carol live' });
    await chatLink(page, 'Carol Cole').locator('.unread-badge', { hasText: '5' }).waitFor();
    expect(warnings).toEqual([]);
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
    await pending
      .locator('.bubble-meta [data-delivery="sent"], .bubble-meta [data-delivery="delivered"], .bubble-meta [data-delivery="read"]')
      .waitFor();
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
