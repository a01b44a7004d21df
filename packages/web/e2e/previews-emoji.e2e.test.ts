/**
 * Link previews (E18) and custom emoji (E19) in Chromium. A page server on 127.0.0.1 —
 * allowed for this test server alone (ServerOptions.linkPreviewNetwork; production has no
 * such allowance) — serves an article with Open Graph tags: Bob sees its preview card under
 * Ann's message as soon as the server has it, with the picture from Parley itself, and it
 * goes when Ann removes it. Ann (the server's admin) adds a custom emoji; Bob finds it by
 * searching the picker and reacts with it, and `:name:` in a message shows the picture.
 * Pictures go to docs/screenshots with PARLEY_SCREENSHOTS=1 (else test-results/previews-emoji).
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ParleyClient } from '@parley/sdk';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { LookupFunction } from '../../server/src/net/public-address.js';
import { CHEAP_PASSWORD_HASHING, startTestServer, type TestServer } from '../../server/src/test/test-server.js';
import { uploadFile } from '../../server/src/test/tus-upload.js';
import { captureScreen } from './capture.js';
import {
  type Account,
  CHROMIUM_AVAILABLE,
  chatLink,
  composer,
  ensureWebBuild,
  launchChromium,
  messageAction,
  messageRow,
  newAccount,
  openDevice,
  pageErrors,
  registerAccount,
  screenshotOnFailure,
  send,
  setDisplayName,
  signIn,
} from './harness.js';

const REPO = fileURLToPath(new URL('../../..', import.meta.url));
const OUT_DIR =
  process.env.PARLEY_SCREENSHOTS === '1' ? path.join(REPO, 'docs', 'screenshots') : path.join(REPO, 'test-results', 'previews-emoji');

async function capture(page: Page, name: string) {
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  await page.mouse.move(1, 1);
  fs.mkdirSync(OUT_DIR, { recursive: true });
  await page.screenshot({ path: path.join(OUT_DIR, `${name}.png`), animations: 'disabled', caret: 'hide' });
}

/** The test's DNS: one name for the page server, nothing else. */
const resolve: LookupFunction = (hostname, _options, callback) =>
  hostname === 'harbour.test'
    ? callback(null, [{ address: '127.0.0.1', family: 4 }])
    : callback(Object.assign(new Error(`no such name ${hostname}`), { code: 'ENOTFOUND' }), '');

async function startPageServer() {
  const picture = await sharp({
    create: { width: 1200, height: 630, channels: 3, background: '#1d5c7a' },
  })
    .composite([
      {
        input: Buffer.from(
          '<svg width="1200" height="630"><circle cx="900" cy="160" r="90" fill="#f4d35e"/><rect y="420" width="1200" height="210" fill="#0b3c5d"/><path d="M300 420 L420 250 L540 420 Z" fill="#f2f2f2"/></svg>',
        ),
      },
    ])
    .png()
    .toBuffer();
  const server = http.createServer((req, res) => {
    if (req.url === '/harbour.png') {
      res.writeHead(200, { 'content-type': 'image/png' });
      return res.end(picture);
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(
      '<!doctype html><html><head><title>Harbour</title>' +
        '<meta property="og:site_name" content="Harbour Notes"><meta property="og:title" content="A week at the quiet harbour">' +
        '<meta property="og:description" content="Boats, tides and the best fish soup on the coast — notes from a slow week by the sea.">' +
        '<meta property="og:image" content="/harbour.png"></head><body>…</body></html>',
    );
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return { port: (server.address() as AddressInfo).port, close: () => new Promise<void>((done) => server.close(() => done())) };
}

async function signedIn(ts: TestServer, account: Account): Promise<{ client: ParleyClient; token: string }> {
  const client = ts.client();
  const { token } = await client.auth.login({ login: account.username, password: account.password });
  return { client, token };
}

describe.skipIf(!CHROMIUM_AVAILABLE)('link previews and custom emoji', () => {
  let ts: TestServer;
  let browser: Browser;
  let pages: Awaited<ReturnType<typeof startPageServer>>;
  let annAccount: Account;
  let bobAccount: Account;
  let ann: Awaited<ReturnType<typeof signedIn>>;
  let chatId: string;

  beforeAll(async () => {
    pages = await startPageServer();
    const webDir = await ensureWebBuild();
    [ts, browser] = await Promise.all([
      startTestServer(
        'sqlite',
        {
          WEB_DIR: webDir,
          LOGIN_ACCOUNT_MAX_FAILURES: '1000',
          LOGIN_IP_MAX_FAILURES: '10000',
          JOBS_POLL_MS: '100',
          ...CHEAP_PASSWORD_HASHING,
        },
        { linkPreviewNetwork: { allow: ['127.0.0.1'], resolve } },
      ),
      launchChromium(),
    ]);
    // The first account of a fresh server is its admin.
    annAccount = await registerAccount(ts, newAccount('ann'));
    bobAccount = await registerAccount(ts, newAccount('bob'));
    await Promise.all([setDisplayName(ts, annAccount, 'Ann Archer'), setDisplayName(ts, bobAccount, 'Bob Baker')]);
    ann = await signedIn(ts, annAccount);
    const bobId = (await (await signedIn(ts, bobAccount)).client.users.me()).id;
    chatId = (await ann.client.chats.create({ kind: 'group', name: 'Harbour trip', memberIds: [bobId] })).id;
  });
  afterAll(async () => {
    await browser?.close();
    await ts?.close();
    await pages?.close();
  });
  afterEach(async (context) => {
    await screenshotOnFailure(context);
    expect(pageErrors).toEqual([]);
  });

  it('Bob sees the preview of the link in Ann’s message, its picture from Parley, until Ann removes it', { timeout: 60_000 }, async () => {
    const bob = await openDevice(browser, ts);
    const annDevice = await openDevice(browser, ts);
    await Promise.all([
      signIn(bob.page, bobAccount.username, bobAccount.password),
      signIn(annDevice.page, annAccount.username, annAccount.password),
    ]);
    await chatLink(bob.page, 'Harbour trip').click();
    await chatLink(annDevice.page, 'Harbour trip').click();
    const link = `http://harbour.test:${pages.port}/week`;
    await send(annDevice.page, `Our trip notes are up: ${link}`);

    const card = messageRow(bob.page, 'Our trip notes are up').getByTestId('link-preview');
    await card.getByRole('link', { name: 'A week at the quiet harbour' }).waitFor();
    await expect.poll(() => card.locator('.link-preview-site').textContent()).toBe('Harbour Notes');
    const image = card.getByRole('img', { name: 'Picture from Harbour Notes' });
    await image.waitFor();
    // The browser only ever loads the picture from Parley, never from the page's site.
    expect(new URL((await image.getAttribute('src')) ?? '', ts.url).pathname).toMatch(/^\/api\/v1\/chats\/.+\/preview\/image$/);
    await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(640);
    // Only the sender may remove it.
    expect(await card.getByRole('button', { name: 'Remove preview' }).count()).toBe(0);
    await capture(bob.page, 'link-preview');
    // On a phone the card keeps inside the bubble.
    const phone = await openDevice(browser, ts, { viewport: 'phone', touch: true });
    await signIn(phone.page, bobAccount.username, bobAccount.password);
    await chatLink(phone.page, 'Harbour trip').click();
    const phoneCard = messageRow(phone.page, 'Our trip notes are up').getByTestId('link-preview');
    await phoneCard.getByRole('img', { name: 'Picture from Harbour Notes' }).waitFor();
    await expect.poll(() => phoneCard.locator('img').evaluate((img: HTMLImageElement) => img.complete)).toBe(true);
    expect(await phone.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await capture(phone.page, 'link-preview-phone');
    await phone.context.close();

    await messageRow(annDevice.page, 'Our trip notes are up').getByRole('button', { name: 'Remove preview' }).click();
    await card.waitFor({ state: 'detached' });
    await bob.context.close();
    await annDevice.context.close();
  });

  it('Ann adds a custom emoji; Bob finds it by searching the picker, reacts with it, and sees it in text', {
    timeout: 60_000,
  }, async () => {
    const png = await sharp({ create: { width: 256, height: 256, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } })
      .composite([
        {
          input: Buffer.from(
            '<svg width="256" height="256"><circle cx="128" cy="128" r="120" fill="#ff7b54"/><circle cx="88" cy="104" r="18" fill="#222"/><circle cx="168" cy="104" r="18" fill="#222"/><path d="M70 160 Q128 220 186 160" stroke="#222" stroke-width="14" fill="none"/></svg>',
          ),
        },
      ])
      .png()
      .toBuffer();
    const fileId = await uploadFile({ baseUrl: ts.url, token: ann.token }, png, { filename: 'party.png', purpose: 'attachment' });
    await ann.client.emoji.create({ shortName: 'harbour_party', fileId });
    await ann.client.messages.send(chatId, { clientId: 'e2e-emoji-1', text: 'Fish soup tonight at eight' });

    const bob = await openDevice(browser, ts);
    await signIn(bob.page, bobAccount.username, bobAccount.password);
    await chatLink(bob.page, 'Harbour trip').click();
    await messageRow(bob.page, 'Fish soup tonight').waitFor();
    await messageAction(bob.page, 'Fish soup tonight', 'More reactions');
    const picker = bob.page.getByRole('dialog', { name: 'Choose a reaction' });
    // The server's own emoji have a tab next to the standard set…
    await picker.getByRole('tab', { name: 'This server’s emoji' }).click();
    await picker.getByRole('button', { name: ':harbour_party:' }).waitFor();
    // …and a search by name and keyword (CLDR keywords in the UI language) finds both kinds.
    await picker.getByRole('searchbox', { name: 'Search emoji' }).fill('party');
    await picker.getByRole('button', { name: /🥳/ }).waitFor();
    await capture(bob.page, 'custom-emoji-picker');
    await picker.getByRole('button', { name: ':harbour_party:' }).click();

    const chip = messageRow(bob.page, 'Fish soup tonight').getByRole('button', { name: /:harbour_party: 1: Bob Baker/ });
    await chip.getByRole('img', { name: ':harbour_party:' }).waitFor();
    const stored = await ann.client.messages.history(chatId);
    expect(stored.items.find((m) => m.text === 'Fish soup tonight at eight')?.reactions).toMatchObject([
      { emoji: ':harbour_party:', count: 1 },
    ]);

    await send(bob.page, 'Count me in :harbour_party:');
    await messageRow(bob.page, 'Count me in').getByRole('img', { name: ':harbour_party:' }).waitFor();
    await capture(bob.page, 'custom-emoji-reaction');

    // `:name` in the composer offers the server's emoji and the standard set (the picker's search).
    const field = composer(bob.page);
    // Emojibase writes some standard emoji with the emoji variation selector (U+FE0F); the comparisons leave it out.
    const typed = async () => (await field.inputValue()).replace(/\uFE0F/g, '');
    const suggestions = bob.page.getByRole('listbox', { name: 'Emoji to insert' });
    await field.fill('Bring ');
    await field.pressSequentially(':harb');
    await suggestions.getByRole('option', { name: ':harbour_party:' }).first().waitFor();
    expect(await field.getAttribute('aria-activedescendant')).toBe(
      await suggestions.getByRole('option', { selected: true }).getAttribute('id'),
    );
    await capture(bob.page, 'custom-emoji-autocomplete');
    await field.press('Enter');
    await suggestions.waitFor({ state: 'detached' });
    expect(await typed()).toBe('Bring :harbour_party: ');
    // A standard one by its English name, picked with the mouse: the character itself goes in.
    await field.pressSequentially(':fish');
    await suggestions.getByRole('option', { name: 'fish', exact: true }).click();
    expect(await typed()).toBe('Bring :harbour_party: 🐟 ');
    // Escape closes the list and keeps what was typed; Tab picks like Enter.
    await field.pressSequentially(':sun');
    await suggestions.waitFor();
    await field.press('Escape');
    await suggestions.waitFor({ state: 'detached' });
    expect(await typed()).toBe('Bring :harbour_party: 🐟 :sun');
    await field.fill('Bring :harbour_party: 🐟 ');
    // Nothing opens while an input method composes; the committed text then asks as typed text would.
    const ime = await bob.page.context().newCDPSession(bob.page);
    await ime.send('Input.imeSetComposition', { text: ':cat', selectionStart: 4, selectionEnd: 4 });
    await expect.poll(typed).toBe('Bring :harbour_party: 🐟 :cat');
    await bob.page.waitForTimeout(300);
    expect(await suggestions.count()).toBe(0);
    await ime.send('Input.insertText', { text: ':cat' });
    await suggestions.getByRole('option', { name: 'cat face', exact: true }).waitFor();
    // Tab takes the active option, the first: the label that is the query itself.
    await field.press('Tab');
    expect(await typed()).toBe('Bring :harbour_party: 🐟 🐈 ');
    // @mentions are offered as before, and no emoji list beside them.
    await field.pressSequentially('@an');
    await bob.page
      .getByRole('listbox', { name: 'People to mention' })
      .getByRole('option', { name: /Ann Archer/ })
      .waitFor();
    expect(await suggestions.count()).toBe(0);
    await field.press('Escape');
    await field.press('Enter');
    await messageRow(bob.page, 'Bring').getByRole('img', { name: ':harbour_party:' }).waitFor();
    expect(
      (await ann.client.messages.history(chatId)).items.some((m) => m.text.replace(/\uFE0F/g, '') === 'Bring :harbour_party: 🐟 🐈 @an'),
    ).toBe(true);
    // The chat list's last-message line shows the picture too (alt text `:harbour_party:`, as copied).
    const listPreview = chatLink(bob.page, 'Harbour trip').locator('.chat-row-text');
    await listPreview.getByRole('img', { name: ':harbour_party:' }).waitFor();
    await expect.poll(async () => (await listPreview.textContent())?.replace(/\uFE0F/g, '')).toBe('Bring  🐟 🐈 @an');
    await bob.context.close();
  });

  it('in the admin console Ann turns link previews off and sees the server’s emoji, which she can rename', {
    timeout: 60_000,
  }, async () => {
    const admin = await openDevice(browser, ts);
    await signIn(admin.page, annAccount.username, annAccount.password);
    await admin.page.goto('/admin/settings');
    const previews = admin.page.getByLabel('Show link previews');
    await previews.waitFor();
    expect(await previews.isChecked()).toBe(true);
    await previews.uncheck();
    await admin.page.getByRole('button', { name: 'Save', exact: true }).click();
    await admin.page.getByText('Saved', { exact: true }).waitFor();
    expect((await ann.client.admin.settings()).linkPreviews).toBe(false);

    const emoji = admin.page.getByRole('region', { name: 'Custom emoji' });
    await emoji.getByRole('img', { name: ':harbour_party:' }).waitFor();
    await emoji.scrollIntoViewIfNeeded();
    await captureScreen(admin.page, OUT_DIR, 'admin-custom-emoji-desktop-light');
    await emoji.getByRole('button', { name: 'Rename' }).click();
    await emoji.getByLabel('New name for :harbour_party:').fill('harbour_fiesta');
    await emoji.getByRole('button', { name: 'Save' }).click();
    await emoji.getByText(':harbour_fiesta:').waitFor();
    expect((await ann.client.emoji.list()).items.map((e) => e.shortName)).toEqual(['harbour_fiesta']);
    await ann.client.admin.updateSettings({ linkPreviews: true });
    await admin.context.close();
  });
});
