/**
 * Bots and webhooks from the web app (issue 15, J8), in Chromium: a person creates a bot in
 * settings (its token shown once, and working), adds it to a chat with post rights, then in
 * that chat's info creates an incoming webhook (its secret URL shown once: a POST to it
 * appears in the open chat as the bot's message) and an outgoing one with a trigger word
 * (a matching message reaches a receiver the test starts, signed with the secret shown
 * once); revokes the incoming one (its URL stops working), replaces the bot's token (the old
 * one stops working) and deletes the bot. Screenshots go to docs/screenshots with
 * PARLEY_SCREENSHOTS=1 (else test-results/).
 */
import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { WEBHOOK_SIGNATURE_HEADER, WEBHOOK_TIMESTAMP_HEADER } from '@parley/protocol';
import { createParleyClient } from '@parley/sdk';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../../server/src/test/test-server.js';
import { captureScreen } from './capture.js';
import {
  CHROMIUM_AVAILABLE,
  chatLink,
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

const REPO = fileURLToPath(new URL('../../..', import.meta.url));
const OUT_DIR =
  process.env.PARLEY_SCREENSHOTS === '1' ? path.join(REPO, 'docs', 'screenshots') : path.join(REPO, 'test-results', 'screenshots');

/** Records what outgoing webhooks POST to it (on 127.0.0.1, which the server is told to allow). */
async function startReceiver() {
  const received: Array<{ body: string; timestamp: string; signature: string }> = [];
  const server = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => {
      body += chunk.toString();
    });
    request.on('end', () => {
      received.push({
        body,
        timestamp: String(request.headers[WEBHOOK_TIMESTAMP_HEADER]),
        signature: String(request.headers[WEBHOOK_SIGNATURE_HEADER]),
      });
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe.skipIf(!CHROMIUM_AVAILABLE)('bots and webhooks in the browser', () => {
  let ts: TestServer;
  let browser: Browser;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  beforeAll(async () => {
    [ts, browser, receiver] = await Promise.all([
      startAppServer({ WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true', JOBS_POLL_MS: '100' }),
      launchChromium(),
      startReceiver(),
    ]);
  });
  afterAll(async () => {
    await browser?.close();
    await ts?.close();
    await receiver?.close();
  });
  afterEach(async (context) => {
    await screenshotOnFailure(context);
    expect(pageErrors).toEqual([]);
  });

  it('creates a bot and its webhooks, shows each secret once, and revokes, replaces and deletes', { timeout: 150_000 }, async () => {
    const account = await registerAccount(ts, newAccount('ops'));
    await setDisplayName(ts, account, 'Olive Ops');
    const owner = ts.client();
    await owner.auth.login({ login: account.username, password: account.password });
    await owner.chats.create({ kind: 'group', name: 'Ops room' });
    await owner.chats.create({ kind: 'group', name: 'Lunch' });

    const { page } = await openDevice(browser, ts);
    await signIn(page, account.username, account.password);
    await openSettings(page);
    const bots = page.getByRole('region', { name: 'Bots' });
    await bots.scrollIntoViewIfNeeded();
    await bots.getByText('You have no bots yet.').waitFor();

    // Create: the token is shown once and works.
    const botUsername = `deploy_${Date.now().toString(36)}`;
    await bots.getByLabel('Bot username').fill(botUsername);
    await bots.getByLabel('Bot name').fill('Deploy bot');
    await bots.getByRole('button', { name: 'Create bot' }).click();
    const shown = bots.getByTestId('shown-once');
    const token = (await shown.locator('code').textContent()) ?? '';
    expect(token).toMatch(/^pb_/);
    const asBot = createParleyClient({ baseUrl: ts.url, token });
    expect((await asBot.users.me()).username).toBe(botUsername);
    await shown.getByRole('button', { name: 'Done' }).click();
    await expect.poll(() => shown.count()).toBe(0);

    // Scope: add it to "Ops room" with post rights (only chats it is not in are offered).
    const item = bots.getByTestId('bot-item').filter({ hasText: 'Deploy bot' });
    await item.getByText('Not in any chat yet.').waitFor();
    await item.getByLabel('Chat to add Deploy bot to').selectOption({ label: 'Ops room' });
    await item.getByRole('button', { name: 'Add to chat' }).click();
    await item.getByRole('list', { name: 'Chats Deploy bot is in' }).getByText('reads and posts').waitFor();
    expect(await item.getByLabel('Chat to add Deploy bot to').locator('option').allTextContents()).toEqual(['Lunch']);
    await captureScreen(page, OUT_DIR, 'bots-settings-desktop-light');

    // Webhooks in the chat's info: an incoming one first.
    await page.goto('/');
    await chatLink(page, 'Ops room').click();
    await page.getByRole('button', { name: 'Chat info' }).click();
    const hooks = page.getByRole('region', { name: 'Webhooks' });
    await hooks.getByText('No webhooks yet.').waitFor();
    await hooks.getByRole('button', { name: 'New webhook' }).click();
    await hooks.getByLabel('Name').fill('CI');
    await expect.poll(() => hooks.getByLabel('Acts as').inputValue()).not.toBe('');
    await hooks.getByRole('button', { name: 'Create webhook' }).click();
    const secretUrl = (await hooks.getByTestId('shown-once').locator('code').textContent()) ?? '';
    expect(secretUrl).toMatch(new RegExp(`^${ts.url}/api/v1/hooks/[A-Za-z0-9_-]+$`));
    await captureScreen(page, OUT_DIR, 'webhooks-chat-info-desktop-light');
    await hooks.getByTestId('shown-once').getByRole('button', { name: 'Done' }).click();
    const posted = await fetch(secretUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'Build 42 passed' }),
    });
    expect(posted.status).toBe(201);
    await messageRow(page, 'Build 42 passed').getByTestId('sender-name').locator('.bot-badge').waitFor();

    // An outgoing one with a trigger word: a matching message arrives signed with the secret shown once.
    await hooks.getByRole('button', { name: 'New webhook' }).click();
    await hooks.getByLabel('Outgoing').check();
    await hooks.getByLabel('Name').fill('Relay');
    await hooks.getByLabel('URL to send messages to').fill(receiver.url);
    await hooks.getByLabel('Trigger word (optional)').fill('!deploy');
    await hooks.getByRole('button', { name: 'Create webhook' }).click();
    const secret = (await hooks.getByTestId('shown-once').locator('code').textContent()) ?? '';
    expect(secret.length).toBeGreaterThan(16);
    await hooks.getByTestId('shown-once').getByRole('button', { name: 'Done' }).click();
    await hooks.getByTestId('webhook-item').filter({ hasText: 'Relay' }).getByText(`messages starting with “!deploy”`).waitFor();
    await send(page, 'just chatting');
    await send(page, '!deploy production');
    await expect.poll(() => receiver.received.length, { timeout: 20_000 }).toBe(1);
    const delivery = receiver.received[0];
    expect(JSON.parse(delivery?.body ?? '{}').message.text).toBe('!deploy production');
    const expected = `v1=${createHmac('sha256', secret).update(`${delivery?.timestamp}.${delivery?.body}`).digest('hex')}`;
    expect(delivery?.signature).toBe(expected);

    // Revoke the incoming one, after a confirmation: its URL stops working.
    await hooks.getByTestId('webhook-item').filter({ hasText: 'CI' }).getByRole('button', { name: 'Revoke' }).click();
    await page.getByRole('dialog', { name: 'Revoke CI?' }).getByRole('button', { name: 'Revoke' }).click();
    await hooks.getByTestId('webhook-item').filter({ hasText: 'CI' }).getByText('revoked').waitFor();
    const refused = await fetch(secretUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'still here?' }),
    });
    expect(refused.status).toBe(404);

    // Back in settings: a new token (shown once; the old one stops working), then delete the bot.
    await openSettings(page);
    const item2 = page.getByRole('region', { name: 'Bots' }).getByTestId('bot-item').filter({ hasText: 'Deploy bot' });
    await item2.getByRole('button', { name: 'New token' }).click();
    await page.getByRole('dialog', { name: 'Replace the token of Deploy bot?' }).getByRole('button', { name: 'Replace token' }).click();
    const newToken = (await item2.getByTestId('shown-once').locator('code').textContent()) ?? '';
    expect(newToken).toMatch(/^pb_/);
    expect(newToken).not.toBe(token);
    await expect(asBot.users.me()).rejects.toMatchObject({ status: 401 });
    expect((await createParleyClient({ baseUrl: ts.url, token: newToken }).users.me()).username).toBe(botUsername);
    await item2.getByRole('button', { name: 'Delete bot' }).click();
    await page.getByRole('dialog', { name: 'Delete Deploy bot?' }).getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('region', { name: 'Bots' }).getByText('You have no bots yet.').waitFor();
    expect((await owner.bots.list()).items).toEqual([]);
  });

  it('fits bots and webhooks on a phone screen', { timeout: 90_000 }, async () => {
    const account = await registerAccount(ts, newAccount('phone'));
    const owner = ts.client();
    await owner.auth.login({ login: account.username, password: account.password });
    const chat = await owner.chats.create({ kind: 'group', name: 'Pocket ops' });
    const { bot } = await owner.bots.create({ username: `pocket_${Date.now().toString(36)}`, displayName: 'Pocket bot' });
    await owner.bots.setScope(bot.user.id, chat.id, true);
    await owner.webhooks.create(chat.id, {
      direction: 'outgoing',
      name: 'Pager',
      botId: bot.user.id,
      url: receiver.url,
      triggerWord: '!page',
    });

    const { page } = await openDevice(browser, ts, { viewport: 'phone', touch: true });
    await signIn(page, account.username, account.password);
    await openSettings(page);
    const bots = page.getByRole('region', { name: 'Bots' });
    await bots.getByTestId('bot-item').filter({ hasText: 'Pocket bot' }).scrollIntoViewIfNeeded();
    await captureScreen(page, OUT_DIR, 'bots-settings-phone-light');
    await page.goto('/');
    await chatLink(page, 'Pocket ops').click();
    await page.getByRole('button', { name: 'Chat info' }).click();
    const hooks = page.getByRole('region', { name: 'Webhooks' });
    await hooks.getByTestId('webhook-item').filter({ hasText: 'Pager' }).scrollIntoViewIfNeeded();
    await captureScreen(page, OUT_DIR, 'webhooks-chat-info-phone-light');
  });
});
