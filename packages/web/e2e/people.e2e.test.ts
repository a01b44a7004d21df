/**
 * People in the browser, as three people: Ann receives contact requests from Bob and Cara
 * with the badges counting, accepts one from the notification centre and declines the
 * other from her contacts; opens Bob's profile from his message and starts a direct chat
 * from it; pins and archives chats (an archived chat comes back with a new message); pins
 * a message and jumps to it from the pinned bar; sets her privacy. Screenshots of the
 * profile, the notification centre and the privacy settings (docs/screenshots with
 * PARLEY_SCREENSHOTS=1, otherwise test-results).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../../server/src/test/test-server.js';
import { captureScreen } from './capture.js';
import {
  CHROMIUM_AVAILABLE,
  chatLink,
  launchChromium,
  messageAction,
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
let n = 0;
const cid = () => `pe${Date.now().toString(36)}${(n++).toString(36)}`;

describe.skipIf(!CHROMIUM_AVAILABLE)('people, requests, profiles and organising chats', () => {
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

  async function person(prefix: string, displayName: string) {
    const account = await registerAccount(ts, newAccount(prefix));
    await setDisplayName(ts, account, displayName);
    const client = ts.client();
    const { user } = await client.auth.login({ login: account.username, password: account.password });
    await client.users.updateMe({ statusText: `${displayName.split(' ')[0]} is reading`, bio: 'Likes long walks and short messages.' });
    return { account, client, user };
  }

  it('counts, accepts and declines requests, opens a profile from a message, starts a DM, pins, archives, pins a message', {
    timeout: 180_000,
  }, async () => {
    const [ann, bob, cara] = await Promise.all([person('ann', 'Ann Archer'), person('bob', 'Bob Baker'), person('cara', 'Cara Cole')]);
    const group = await cara.client.chats.create({ kind: 'group', name: 'Book club', memberIds: [ann.user.id, bob.user.id] });
    await cara.client.chats.setRole(group.id, ann.user.id, 'admin');
    const hello = await bob.client.messages.send(group.id, { clientId: cid(), text: 'Hello from Bob' });
    for (let i = 0; i < 40; i += 1) await cara.client.messages.send(group.id, { clientId: cid(), text: `Chapter note ${i}` });
    await cara.client.messages.send(group.id, { clientId: cid(), text: `Ask @${bob.account.username} about it` });

    const { page } = await openDevice(browser, ts);
    await signIn(page, ann.account.username, ann.account.password);
    await expect.poll(() => page.getByTestId('centre-badge').textContent()).toBe('1');

    // Two requests arrive live: both badges count them.
    await bob.client.contacts.request(ann.user.id, 'From the book club');
    await cara.client.contacts.request(ann.user.id);
    await expect.poll(() => page.getByTestId('contacts-badge').textContent()).toBe('2');
    await expect.poll(() => page.getByTestId('centre-badge').textContent()).toBe('3');

    // The notification centre: accept Bob there.
    await page.getByTestId('centre-button').click();
    const centre = page.getByRole('dialog', { name: 'Notifications' });
    await centre.getByText('Bob Baker wants to add you as a contact').waitFor();
    await centre.getByText('Cara Cole added you to Book club').waitFor();
    await captureScreen(page, OUT_DIR, 'notification-centre-desktop-light');
    await centre.getByTestId('centre-item').filter({ hasText: 'Bob Baker' }).getByRole('button', { name: 'Accept' }).click();
    await expect.poll(() => page.getByTestId('contacts-badge').textContent()).toBe('1');
    await centre.getByRole('button', { name: 'Mark all read' }).click();
    await expect.poll(() => page.getByTestId('centre-badge').count()).toBe(0);
    await centre.getByRole('button', { name: 'Close' }).click();
    expect((await bob.client.contacts.get(ann.user.id)).state).toBe('accepted');

    // Contacts: decline Cara; the badge goes.
    await page.getByTestId('contacts-button').click();
    const contacts = page.getByRole('dialog', { name: 'Contacts' });
    await contacts.getByTestId('contact-row').filter({ hasText: 'Cara Cole' }).getByRole('button', { name: 'Decline' }).click();
    await expect.poll(() => page.getByTestId('contacts-badge').count()).toBe(0);
    await contacts.getByRole('button', { name: 'Close' }).click();
    expect((await cara.client.contacts.get(ann.user.id)).state).toBe('declined');

    // Bob's profile from his message, then a direct chat from it.
    await chatLink(page, 'Book club').click();
    // From a mention…
    await messageRow(page, 'about it').locator('.mention').click();
    const profile = page.getByRole('dialog', { name: 'Profile' });
    await profile.getByText(`@${bob.account.username}`).waitFor();
    await profile.getByRole('button', { name: 'Close' }).click();
    // …and from the sender's name.
    await messageRow(page, 'Hello from Bob').getByTestId('sender-name').click();
    await profile.getByText('Bob is reading').waitFor();
    await profile.getByText('Book club').waitFor();
    await profile.getByRole('button', { name: 'Star' }).waitFor();
    await captureScreen(page, OUT_DIR, 'people-profile-desktop-light');
    await profile.getByRole('button', { name: 'Message' }).click();
    // The direct chat opens in place of Book club; typed before it has, the text went to the group.
    await page.getByRole('heading', { name: 'Bob Baker', level: 1 }).waitFor();
    await page.locator('[placeholder*="Bob Baker"]').waitFor();
    await send(page, 'Hi Bob, straight from your profile');
    await expect
      .poll(
        async () => {
          const direct = (await bob.client.chats.list()).items.find((c) => c.kind === 'direct');
          return direct?.lastMessage?.text;
        },
        { timeout: 10_000 },
      )
      .toBe('Hi Bob, straight from your profile');

    // Pin the direct chat: it goes to the top, marked.
    await page.getByRole('button', { name: 'Chat options' }).click();
    await page.getByRole('menuitem', { name: 'Pin chat' }).click();
    const rows = page.getByRole('navigation', { name: 'Conversations' }).getByRole('link');
    await expect.poll(() => rows.first().getAttribute('data-pinned')).toBe('true');
    await expect.poll(() => rows.first().textContent()).toContain('Bob Baker');
    const directId = (await ann.client.organise.get()).pinned[0];
    // A second pin goes on top; "Move up" puts the direct chat back first, on every device.
    await chatLink(page, 'Book club').click();
    await page.getByRole('button', { name: 'Chat options' }).click();
    await page.getByRole('menuitem', { name: 'Pin chat' }).click();
    await expect.poll(() => rows.first().textContent()).toContain('Book club');
    await chatLink(page, 'Bob Baker').click();
    await page.getByRole('button', { name: 'Chat options' }).click();
    await page.getByRole('menuitem', { name: 'Move up' }).click();
    await expect.poll(() => rows.first().textContent()).toContain('Bob Baker');
    // The list moves at once; the server has the order once the save lands.
    await expect.poll(async () => (await ann.client.organise.get()).pinned).toEqual([directId, group.id]);

    // Archive the group: out of the list, in "Archived chats (1)"; a new message brings it back.
    await chatLink(page, 'Book club').click();
    await page.getByRole('button', { name: 'Chat options' }).click();
    await page.getByRole('menuitem', { name: 'Archive chat' }).click();
    await page.getByTestId('archived-toggle').getByText('Archived chats (1)').waitFor();
    await expect.poll(() => chatLink(page, 'Book club').count()).toBe(0);
    await bob.client.messages.send(group.id, { clientId: cid(), text: 'Anyone still here?' });
    await chatLink(page, 'Book club').waitFor();
    await expect.poll(() => page.getByTestId('archived-toggle').count()).toBe(0);

    // Pin Bob's first message and jump to it from the bar.
    await chatLink(page, 'Book club').click();
    await messageRow(page, 'Anyone still here?').waitFor();
    await messageAction(page, 'Anyone still here?', 'Pin');
    const bar = page.getByTestId('pinned-bar');
    await bar.getByText('Anyone still here?').waitFor();
    const pins = await ann.client.organise.pinMessage(group.id, hello.id);
    expect(pins.items).toHaveLength(2);
    await bar.getByText('Pinned message 1 of 2').waitFor();
    await bar.getByText('Hello from Bob').waitFor();
    await bar.getByRole('button', { name: /Go to pinned message 1 of 2/ }).click();
    await expect
      .poll(() =>
        messageRow(page, 'Hello from Bob').evaluate((row) => {
          const box = row.getBoundingClientRect();
          return box.top >= 0 && box.bottom <= window.innerHeight;
        }),
      )
      .toBe(true);
  });

  it('sets privacy in settings, enforced by the server', async () => {
    const dee = await person('dee', 'Dee Dunn');
    const stranger = await person('stranger', 'Sam Stranger');
    const { page } = await openDevice(browser, ts);
    await signIn(page, dee.account.username, dee.account.password);
    await openSettings(page);
    const privacy = page.getByRole('region', { name: 'Privacy' });
    await privacy.scrollIntoViewIfNeeded();
    await privacy.getByRole('radiogroup', { name: 'Who can start a direct chat with me' }).getByLabel('My contacts').check();
    await privacy.getByRole('switch', { name: 'Hide my email address' }).check();
    await expect.poll(async () => (await dee.client.people.privacy()).directMessages).toBe('contacts');
    await expect.poll(async () => (await dee.client.people.privacy()).hideEmail).toBe(true);
    await privacy.getByRole('radiogroup', { name: 'Who can start a direct chat with me' }).scrollIntoViewIfNeeded();
    await captureScreen(page, OUT_DIR, 'privacy-settings-desktop-light');
    const refused = await stranger.client.chats.openDirect(dee.user.id).catch((error: { code?: string }) => error.code);
    expect(refused).toBe('privacy_restricted');
  });
});
