/**
 * The rest of people and organising in Chromium (issue 13): a blocked person's messages in
 * a shared group are folded ("message from a blocked user") until clicked; a person in the
 * search results opens their profile; an alias shows in mentions and system lines with the
 * real name on hover; pinned chats are reordered by dragging, the order kept by the server
 * and seen on another device at once; and setting yourself away by hand holds through
 * typing and a reload until you set yourself active again; @all and @here mentions are in
 * the notification centre. Screenshots go to
 * docs/screenshots with PARLEY_SCREENSHOTS=1 (else test-results/).
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
  composer,
  launchChromium,
  messageRow,
  openDevice,
  pageErrors,
  screenshotOnFailure,
  signedInPerson,
  signIn,
  startAppServer,
  systemRow,
} from './harness.js';

const REPO = fileURLToPath(new URL('../../..', import.meta.url));
const OUT_DIR =
  process.env.PARLEY_SCREENSHOTS === '1' ? path.join(REPO, 'docs', 'screenshots') : path.join(REPO, 'test-results', 'screenshots');
let n = 0;
const cid = () => `po${Date.now().toString(36)}${(n++).toString(36)}`;

describe.skipIf(!CHROMIUM_AVAILABLE)('blocking, aliases, pinned order and away in the browser', () => {
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

  const person = (prefix: string, displayName: string) => signedInPerson(ts, prefix, displayName);

  it('folds a blocked person’s messages, opens a profile from search, and shows aliases in mentions and system lines', {
    timeout: 120_000,
  }, async () => {
    const [ann, bob, cara, dan] = await Promise.all([
      person('ann', 'Ann Archer'),
      person('bob', 'Bob Baker'),
      person('cara', 'Cara Cole'),
      person('dan', 'Dan Dunn'),
    ]);
    const group = await cara.client.chats.create({ kind: 'group', name: 'Garden club', memberIds: [ann.user.id, bob.user.id] });
    await ann.client.contacts.block(bob.user.id);
    await ann.client.contacts.update(cara.user.id, { alias: 'Cece' });
    await bob.client.messages.send(group.id, { clientId: cid(), text: 'Buy my tomato seeds' });
    await bob.client.messages.send(group.id, { clientId: cid(), text: `Thanks @${cara.account.username} for the tulips` });
    await cara.client.chats.addMembers(group.id, [dan.user.id]);

    const { page } = await openDevice(browser, ts);
    await signIn(page, ann.account.username, ann.account.password);
    await chatLink(page, 'Garden club').click();

    // Bob is blocked: his messages are folded; a click shows one, the other stays folded.
    const folded = page.getByTestId('blocked-message');
    await expect.poll(() => folded.count()).toBe(2);
    expect(await page.getByText('Buy my tomato seeds').count()).toBe(0);
    await captureScreen(page, OUT_DIR, 'people-blocked-folded-desktop-light');
    await folded.first().click();
    await messageRow(page, 'Buy my tomato seeds').waitFor();
    expect(await folded.count()).toBe(1);

    // The alias in a system line, with the real name on hover…
    const added = systemRow(page, 'Cece added Dan Dunn');
    await added.waitFor();
    expect(await added.getAttribute('title')).toBe('Cara Cole added Dan Dunn');
    // …and in a mention (shown once the folded message is opened: it is Bob's).
    await folded.first().click();
    const mention = messageRow(page, 'for the tulips').locator('.mention');
    expect(await mention.textContent()).toBe('@Cece');
    expect(await mention.getAttribute('title')).toBe(`Cara Cole (@${cara.account.username})`);
    // Unblocking unfolds at once.
    await ann.client.contacts.unblock(bob.user.id);
    await expect.poll(() => page.getByTestId('blocked-message').count()).toBe(0);

    // A person in the search results opens their profile.
    await page.getByRole('button', { name: 'Search messages' }).first().click();
    const search = page.getByRole('dialog', { name: 'Search messages' });
    await search.getByRole('searchbox').fill('Dan Du');
    const hit = search.getByTestId('search-person').filter({ hasText: 'Dan Dunn' });
    await hit.waitFor();
    await captureScreen(page, OUT_DIR, 'search-people-desktop-light');
    await hit.click();
    const profile = page.getByRole('dialog', { name: 'Profile' });
    await profile.getByText(`@${dan.account.username}`).waitFor();
    await expect.poll(() => search.count()).toBe(0);
  });

  it('lists @all and @here mentions in the notification centre', { timeout: 60_000 }, async () => {
    const [gus, hal] = await Promise.all([person('gus', 'Gus Green'), person('hal', 'Hal Hill')]);
    const group = await hal.client.chats.create({ kind: 'group', name: 'Allotment', memberIds: [gus.user.id] });
    const { page } = await openDevice(browser, ts);
    await signIn(page, gus.account.username, gus.account.password);
    await expect.poll(() => page.getByTestId('centre-badge').textContent()).toBe('1');
    await hal.client.messages.send(group.id, { clientId: cid(), text: '@all the water is off tomorrow' });
    // Gus has the app open, so he is online: @here reaches him too.
    await hal.client.messages.send(group.id, { clientId: cid(), text: 'anyone around? @here' });
    await expect.poll(() => page.getByTestId('centre-badge').textContent()).toBe('3');
    await page.getByTestId('centre-button').click();
    const centre = page.getByRole('dialog', { name: 'Notifications' });
    await centre.getByTestId('centre-item').filter({ hasText: 'Hal Hill mentioned everyone' }).getByText('the water is off').waitFor();
    await centre.getByTestId('centre-item').filter({ hasText: 'Hal Hill mentioned everyone online' }).getByText('anyone around?').waitFor();
    await centre.getByRole('button', { name: 'Close' }).click();

    // The composer offers @here beside @all.
    await chatLink(page, 'Allotment').click();
    await composer(page).fill('@he');
    await page
      .getByRole('listbox', { name: 'People to mention' })
      .getByRole('option', { name: /Everyone online now/ })
      .click();
    await expect.poll(() => composer(page).inputValue()).toBe('@here ');
  });

  it('reorders pinned chats by dragging, kept by the server and seen on another device, and sets away by hand', {
    timeout: 120_000,
  }, async () => {
    const [eve, fay] = await Promise.all([person('eve', 'Eve Evans'), person('fay', 'Fay Ford')]);
    const names = ['Alpha', 'Bravo', 'Charlie'];
    const chats = [];
    for (const name of names) chats.push(await eve.client.chats.create({ kind: 'group', name, memberIds: [fay.user.id] }));
    // Pinning puts each on top: Charlie, Bravo, Alpha.
    for (const chat of chats) await eve.client.organise.pin(chat.id, true);
    const [alpha, bravo, charlie] = chats.map((c) => c.id) as [string, string, string];
    expect((await eve.client.organise.get()).pinned).toEqual([charlie, bravo, alpha]);

    const { page } = await openDevice(browser, ts);
    await signIn(page, eve.account.username, eve.account.password);
    const other = await openDevice(browser, ts);
    await signIn(other.page, eve.account.username, eve.account.password);
    const order = (p: typeof page) =>
      p.getByRole('navigation', { name: 'Conversations' }).locator('li[draggable="true"] .chat-row-name').allTextContents();
    await expect.poll(() => order(page)).toEqual(['Charlie', 'Bravo', 'Alpha']);

    // Drag Alpha onto Charlie: Alpha takes the top place.
    await chatLink(page, 'Alpha').dragTo(chatLink(page, 'Charlie'));
    await expect.poll(() => order(page)).toEqual(['Alpha', 'Charlie', 'Bravo']);
    await expect.poll(async () => (await eve.client.organise.get()).pinned).toEqual([alpha, charlie, bravo]);
    await expect.poll(() => order(other.page)).toEqual(['Alpha', 'Charlie', 'Bravo']);
    // The keyboard's way: "Move down" from the chat's menu.
    await chatLink(page, 'Alpha').click();
    await page.getByRole('button', { name: 'Chat options' }).click();
    await page.getByRole('menuitem', { name: 'Move down' }).click();
    await expect.poll(async () => (await eve.client.organise.get()).pinned).toEqual([charlie, alpha, bravo]);

    // Away by hand: Fay sees it; typing does not undo it, nor does a reload; "active" does.
    const presenceOfEve = async () => (await fay.client.people.profile(eve.user.id)).presence;
    await expect.poll(presenceOfEve).toBe('online');
    await page.getByRole('button', { name: 'Account menu' }).click();
    await page.getByRole('menuitem', { name: 'Set yourself away' }).click();
    await expect.poll(presenceOfEve).toBe('away');
    await page.getByTestId('my-status').getByText('Away', { exact: true }).waitFor();
    await composer(page).fill('typing while away');
    await composer(page).fill('');
    await page.reload();
    await page.getByTestId('my-status').getByText('Away', { exact: true }).waitFor();
    await expect.poll(presenceOfEve).toBe('away');
    await page.getByRole('button', { name: 'Account menu' }).click();
    await page.getByRole('menuitem', { name: 'Set yourself active' }).click();
    await expect.poll(presenceOfEve).toBe('online');
  });
});
