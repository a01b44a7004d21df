/**
 * Groups and rooms in the browser: creating a group, adding a member, mentions with
 * autocomplete, private replies, roles, the room directory, muting (no title badge),
 * leaving and deleting — each seen live by the other side.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../../server/src/test/test-server.js';
import {
  CHROMIUM_AVAILABLE,
  chatLink,
  composer,
  launchChromium,
  messageAction,
  messageRow,
  newChatMenu,
  openDevice,
  pageErrors,
  screenshotOnFailure,
  send,
  signedInPerson,
  signIn,
  startAppServer,
  systemRow,
} from './harness.js';

describe.skipIf(!CHROMIUM_AVAILABLE)('groups and rooms', () => {
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
  /** A system line's exact words, without the invisible marks that isolate each name. */
  const systemWords = async (page: Page, text: string) =>
    ((await systemRow(page, text).first().textContent()) ?? '').replace(/[\u2066-\u2069]/g, '');

  it('creates a group, adds a member, mentions, replies privately, makes an admin, and deletes it', async () => {
    const [annP, bobP, carol] = await Promise.all([person('ann', 'Ann Archer'), person('bob', 'Bob Baker'), person('carol', 'Carol Cole')]);
    const ann = await openDevice(browser, ts);
    const bob = await openDevice(browser, ts);
    await Promise.all([
      signIn(ann.page, annP.account.username, annP.account.password),
      signIn(bob.page, bobP.account.username, bobP.account.password),
    ]);

    // Ann creates "Weekend trip" with Bob; it appears in Bob's list at once.
    await newChatMenu(ann.page, 'New group');
    const create = ann.page.getByRole('dialog', { name: 'New group' });
    await create.getByLabel('Group name').fill('Weekend trip');
    await create.getByLabel('Add people').fill('Bob Bak');
    await create.getByRole('button', { name: /Bob Baker/ }).click();
    await create.getByRole('list', { name: 'Selected people' }).getByText('Bob Baker').waitFor();
    await create.getByRole('button', { name: 'Create group' }).click();
    await ann.page.locator('.conversation-header').getByText('Weekend trip').waitFor();
    await systemRow(ann.page, 'You added Bob Baker').waitFor();
    await chatLink(bob.page, 'Weekend trip').click();
    await systemRow(bob.page, 'Ann Archer added you').waitFor();
    // "you" inside a sentence is not capitalised (it once read "Ann Archer added You").
    expect(await systemWords(bob.page, 'Ann Archer added')).toBe('Ann Archer added you');

    // Ann adds Carol from the info panel; Bob sees it happen.
    await ann.page.getByRole('button', { name: 'Chat info' }).click();
    await ann.page.getByRole('button', { name: 'Add members' }).click();
    const add = ann.page.getByRole('dialog', { name: 'Add members' });
    await add.getByLabel('Add people').fill('Carol');
    await add.getByRole('button', { name: /Carol Cole/ }).click();
    await add.getByRole('button', { name: 'Add 1 person' }).click();
    await ann.page.getByTestId('member-row').filter({ hasText: 'Carol Cole' }).waitFor();
    await systemRow(bob.page, 'Ann Archer added Carol Cole').waitFor();
    await bob.page.locator('.conversation-header').getByText('3 members').waitFor();

    // Mention autocomplete: "@car" suggests Carol; Enter completes it; the server records the mention.
    await composer(ann.page).fill('Tickets are booked @car');
    await ann.page.getByRole('option', { name: /Carol Cole/ }).waitFor();
    await composer(ann.page).press('Enter');
    expect(await composer(ann.page).inputValue()).toBe(`Tickets are booked @${carol.user.username} `);
    await composer(ann.page).press('Enter');
    await messageRow(bob.page, 'Tickets are booked').waitFor();
    // Bob has it on screen, so it is read: Ann sees ✓✓ and who has seen it.
    await messageRow(ann.page, 'Tickets are booked').locator('.bubble-meta [data-delivery="read"]').waitFor();
    await messageAction(ann.page, 'Tickets are booked', 'Seen by');
    const seen = ann.page.getByRole('dialog', { name: 'Seen by' });
    await seen.getByText('Bob Baker').waitFor();
    expect(await seen.getByText('Carol Cole').count()).toBe(0);
    await seen.getByRole('button', { name: 'Close' }).click();
    const carolView = await carol.client.chats.list();
    const group = carolView.items.find((c) => c.name === 'Weekend trip');
    expect(group?.mentionCount).toBe(1);

    // Bob answers Ann privately: marked on both sides, invisible to Carol.
    await messageAction(bob.page, 'Tickets are booked', 'Reply privately');
    await bob.page.getByText('Private reply to Ann Archer: only they will see it').waitFor();
    await send(bob.page, 'Can I pay you back later?');
    await messageRow(bob.page, 'pay you back').getByText('Private to Ann Archer').waitFor();
    await messageRow(ann.page, 'pay you back').getByText('Private message to you').waitFor();
    const carolHistory = await carol.client.messages.history(group?.id ?? '');
    expect(carolHistory.items.map((m) => m.text)).not.toContain('Can I pay you back later?');

    // Roles: Ann (owner) makes Bob an admin.
    await ann.page.getByRole('button', { name: 'Actions for Bob Baker' }).click();
    await ann.page.getByRole('menuitem', { name: 'Make admin' }).click();
    await ann.page.getByTestId('member-row').filter({ hasText: 'Bob Baker' }).getByText('Admin').waitFor();
    await systemRow(bob.page, 'Ann Archer made you an admin').waitFor();
    expect(await systemWords(bob.page, 'an admin')).toBe('Ann Archer made you an admin');

    // Ann renames it; Bob's header and list follow.
    await ann.page.getByRole('button', { name: 'Edit' }).click();
    await ann.page.getByLabel('Name', { exact: true }).fill('Weekend trip 🏕️');
    await ann.page.getByLabel('Description', { exact: true }).fill('Saturday and Sunday, weather permitting.');
    await ann.page.getByRole('button', { name: 'Save' }).click();
    await bob.page.locator('.conversation-header').getByText('Weekend trip 🏕️').waitFor();
    await chatLink(bob.page, 'Weekend trip 🏕️').waitFor();
    await systemRow(bob.page, 'renamed the chat to “Weekend trip 🏕️”').waitFor();

    // Ann deletes the group: it disappears for Bob, who is taken back to the start.
    await ann.page.getByRole('button', { name: 'Delete group' }).click();
    await ann.page.getByRole('dialog', { name: 'Delete Weekend trip 🏕️?' }).getByRole('button', { name: 'Delete for everyone' }).click();
    await chatLink(bob.page, 'Weekend trip').waitFor({ state: 'detached' });
    await bob.page.getByText('No conversation open').waitFor();
    // Told that the group was deleted, not that he is no longer a member.
    await bob.page.locator('.toast', { hasText: 'That chat was deleted.' }).waitFor();
    expect(await bob.page.getByText('You are no longer a member of that chat.').count()).toBe(0);
    await ann.context.close();
    await bob.context.close();
  });

  it('does not move a group up for members who cannot see a private message in it, live or after a reload', async () => {
    const [ann, bob, carol] = await Promise.all([person('ann', 'Ann Archer'), person('bob', 'Bob Baker'), person('carol', 'Carol Cole')]);
    const pause = () => new Promise((resolve) => setTimeout(resolve, 20));
    let n = 0;
    const say = (client: typeof ann.client, chatId: string, text: string, privateTo?: string) =>
      client.messages.send(chatId, { clientId: `order-${++n}`, text, ...(privateTo ? { privateTo } : {}) });
    const group = await ann.client.chats.create({ kind: 'group', name: 'Quiet group', memberIds: [bob.user.id, carol.user.id] });
    await say(bob.client, group.id, 'Hello all');
    await pause();
    const withAnn = await ann.client.chats.openDirect(carol.user.id);
    await say(ann.client, withAnn.id, 'Carol, a word with you');
    await pause();
    // Bob writes to Ann alone, in the group: Carol cannot see it.
    await say(bob.client, group.id, 'Just between us', ann.user.id);

    const { context, page } = await openDevice(browser, ts);
    await signIn(page, carol.account.username, carol.account.password);
    const order = () => page.locator('.chat-row-name').allTextContents();
    await chatLink(page, 'Quiet group').waitFor();
    expect(await order()).toEqual(['Ann Archer', 'Quiet group']);
    expect(await chatLink(page, 'Quiet group').textContent()).toContain('Hello all');

    // Live: another private message, then one Carol can see in a new chat, which comes first.
    await pause();
    await say(bob.client, group.id, 'Still just us', ann.user.id);
    await pause();
    const withBob = await bob.client.chats.openDirect(carol.user.id);
    await say(bob.client, withBob.id, 'Hi Carol');
    await chatLink(page, 'Bob Baker').getByText('Hi Carol').waitFor();
    expect(await order()).toEqual(['Bob Baker', 'Ann Archer', 'Quiet group']);
    await page.reload();
    await chatLink(page, 'Bob Baker').waitFor();
    expect(await order()).toEqual(['Bob Baker', 'Ann Archer', 'Quiet group']);
    // The server lists them in the same order for her.
    expect((await carol.client.chats.list()).items.map((c) => c.name)).toEqual(['Bob Baker', 'Ann Archer', 'Quiet group']);
    await context.close();
  });

  it('joins a room from the directory, mutes a chat (no badge in the title), and leaves the room', async () => {
    const [bobP, carol] = await Promise.all([person('bob', 'Bob Baker'), person('carol', 'Carol Cole')]);
    const handle = `club-${Date.now().toString(36)}`;
    const room = await carol.client.chats.create({
      kind: 'room',
      name: 'Night owls book club',
      handle,
      description: 'Reading after dark.',
    });
    await carol.client.messages.send(room.id, { clientId: 'room-1', text: 'Welcome, night owls 🦉' });
    const direct = await carol.client.chats.openDirect(bobP.user.id);
    await carol.client.messages.send(direct.id, { clientId: 'direct-0', text: 'Hi Bob' });

    const bob = await openDevice(browser, ts);
    await signIn(bob.page, bobP.account.username, bobP.account.password);
    await newChatMenu(bob.page, 'Browse rooms');
    const directory = bob.page.getByRole('dialog', { name: 'Rooms' });
    await directory.getByLabel('Search rooms').fill('night owls');
    await directory.getByRole('button', { name: 'Join Night owls book club' }).click();
    await messageRow(bob.page, 'Welcome, night owls').waitFor();
    await systemRow(bob.page, 'You joined').waitFor();
    await send(bob.page, 'Glad to be here');
    await expect.poll(async () => (await carol.client.messages.history(room.id)).items.map((m) => m.text)).toContain('Glad to be here');

    // Muted: a new message in the direct chat changes no title; unmuted, it does.
    await chatLink(bob.page, 'Carol Cole').click();
    await messageRow(bob.page, 'Hi Bob').waitFor();
    await bob.page.getByRole('button', { name: 'Mute notifications' }).click();
    await chatLink(bob.page, 'Carol Cole').getByText('Muted').waitFor();
    await chatLink(bob.page, 'Night owls book club').click();
    await carol.client.messages.send(direct.id, { clientId: 'direct-1', text: 'Are you coming tonight?' });
    await chatLink(bob.page, 'Carol Cole').getByText('Are you coming tonight?').waitFor();
    expect(await bob.page.title()).toBe('Night owls book club · Parley');
    await carol.client.messages.send(room.id, { clientId: 'room-2', text: 'Chapter 4 starts now' });
    await messageRow(bob.page, 'Chapter 4 starts now').waitFor();
    expect(await bob.page.title()).toBe('Night owls book club · Parley');

    await chatLink(bob.page, 'Carol Cole').click();
    await bob.page.getByRole('button', { name: 'Unmute notifications' }).click();
    await chatLink(bob.page, 'Night owls book club').click();
    await carol.client.messages.send(direct.id, { clientId: 'direct-2', text: 'Hello?' });
    await expect.poll(() => bob.page.title()).toBe('(1) Night owls book club · Parley');
    expect(await chatLink(bob.page, 'Carol Cole').getAttribute('data-unread')).toBe('true');

    // A new room of his own, found in the directory by its handle.
    await newChatMenu(bob.page, 'New room');
    const newRoom = bob.page.getByRole('dialog', { name: 'New room' });
    await newRoom.getByLabel('Room name').fill(`Bob's den ${handle}`);
    expect(await newRoom.getByLabel('Handle').inputValue()).toBe(`bob-s-den-${handle}`);
    await newRoom.getByRole('button', { name: 'Create room' }).click();
    await systemRow(bob.page, 'You created the chat').waitFor();
    expect((await carol.client.chats.rooms({ q: `bob-s-den-${handle}` })).items.map((r) => r.name)).toEqual([`Bob's den ${handle}`]);

    // Leaving the room takes it out of the list.
    await chatLink(bob.page, 'Night owls book club').click();
    await bob.page.getByRole('button', { name: 'Chat info' }).click();
    await bob.page.getByRole('button', { name: 'Leave room' }).click();
    await bob.page.getByRole('dialog', { name: 'Leave Night owls book club?' }).getByRole('button', { name: 'Leave' }).click();
    await chatLink(bob.page, 'Night owls book club').waitFor({ state: 'detached' });
    await bob.context.close();
  });
});
