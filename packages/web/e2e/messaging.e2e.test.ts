/**
 * Two people, two browser profiles: signing up, starting a direct chat, and everything
 * that happens to a message — live both ways, read ticks, reply, edit, react, delete,
 * forward — as each of them sees it.
 */
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../../server/src/test/test-server.js';
import {
  CHROMIUM_AVAILABLE,
  chatLink,
  composer,
  launchChromium,
  messageAction,
  messageRow,
  newAccount,
  openDevice,
  pageErrors,
  screenshotOnFailure,
  send,
  setDisplayName,
  signIn,
  signUpInBrowser,
  startAppServer,
  startDirectChat,
} from './harness.js';

describe.skipIf(!CHROMIUM_AVAILABLE)('a direct chat between two people', () => {
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

  it('delivers, reads, replies, edits, reacts, deletes and forwards, live on both sides', async () => {
    const annAccount = newAccount('ann');
    const bobAccount = newAccount('bob');
    const ann = await openDevice(browser, ts);
    const bob = await openDevice(browser, ts);
    await Promise.all([signUpInBrowser(ann.page, annAccount), signUpInBrowser(bob.page, bobAccount)]);
    await Promise.all([setDisplayName(ts, annAccount, 'Ann Archer'), setDisplayName(ts, bobAccount, 'Bob Baker')]);
    await ann.page.getByTestId('my-name').getByText('Ann Archer').waitFor();

    // Ann finds Bob and writes; Bob's list shows the new chat with an unread badge.
    await startDirectChat(ann.page, 'Bob Bak', bobAccount.username);
    await send(ann.page, 'Hello Bob');
    const first = messageRow(ann.page, 'Hello Bob');
    const bobsRow = chatLink(bob.page, 'Ann Archer');
    await bobsRow.getByText('Hello Bob').waitFor();
    // Bob's browser has it: ✓✓ delivered, not yet read.
    await first.locator('.bubble-meta [data-delivery="delivered"]').waitFor();
    expect(await bobsRow.locator('.unread-badge').textContent()).toContain('1');

    // Bob opens it: the badge clears, and Ann's tick turns to ✓✓.
    await bobsRow.click();
    await messageRow(bob.page, 'Hello Bob').waitFor();
    await bobsRow.locator('.unread-badge').waitFor({ state: 'detached' });
    await first.locator('.bubble-meta [data-delivery="read"]').waitFor();

    // Bob answers with a reply; Ann sees him typing, then the quote, live.
    await messageAction(bob.page, 'Hello Bob', 'Reply');
    await bob.page.getByText('Replying to Ann Archer').waitFor();
    await composer(bob.page).pressSequentially('Hi Ann');
    const annHeader = ann.page.locator('.conversation-header .pane-header-subtitle');
    await annHeader.getByText('typing…').waitFor();
    await composer(bob.page).fill('Hi Ann, good to see you');
    await composer(bob.page).press('Enter');
    const reply = messageRow(ann.page, 'good to see you');
    await reply.locator('.reply-quote', { hasText: 'Hello Bob' }).waitFor();
    await annHeader.getByText('typing…').waitFor({ state: 'detached' });

    // Ann edits her message with the Up arrow; Bob sees the new text marked "edited".
    await composer(ann.page).press('ArrowUp');
    await ann.page.getByText('Editing message').waitFor();
    await composer(ann.page).fill('Hello Bob, welcome!');
    await composer(ann.page).press('Enter');
    const edited = messageRow(bob.page, 'Hello Bob, welcome!');
    await edited.locator('.bubble-meta').getByText('edited').waitFor();
    // Hovering "edited" tells when: the edit's own date and time, not the message's.
    const bobApi = ts.client();
    await bobApi.auth.login({ login: bobAccount.username, password: bobAccount.password });
    const direct = (await bobApi.chats.list()).items.find((c) => c.name === 'Ann Archer');
    const editedAt = (await bobApi.messages.history(direct?.id ?? '')).items.find((m) => m.text === 'Hello Bob, welcome!')?.editedAt;
    expect(editedAt).toBeTruthy();
    const when = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }).format(
      new Date(editedAt ?? 0),
    );
    expect(await edited.locator('.bubble-meta .bubble-edited').getAttribute('title')).toBe(`Edited ${when}`);
    // The quote in Bob's reply follows the edit.
    await messageRow(bob.page, 'good to see you').locator('.reply-quote', { hasText: 'welcome' }).waitFor();

    // Bob reacts with 👍; Ann sees the count and who reacted.
    await messageRow(bob.page, 'Hello Bob, welcome!').locator('.bubble').click({ button: 'right' });
    await bob.page.getByRole('menuitemcheckbox', { name: 'React with 👍' }).click();
    const reaction = messageRow(ann.page, 'Hello Bob, welcome!').getByRole('button', { name: /👍 1: Bob Baker/ });
    await reaction.waitFor();
    // The same menu by keyboard: the actions button, then arrows to ❤️.
    await messageRow(bob.page, 'Hello Bob, welcome!').getByRole('button', { name: 'Message actions' }).focus();
    await bob.page.keyboard.press('Enter');
    await bob.page.getByRole('menuitemcheckbox', { name: 'React with 👍' }).and(bob.page.locator(':focus')).waitFor();
    await bob.page.keyboard.press('ArrowRight');
    await bob.page.keyboard.press('Enter');
    await messageRow(ann.page, 'Hello Bob, welcome!')
      .getByRole('button', { name: /❤️ 1: Bob Baker/ })
      .waitFor();

    // Shift+Enter starts a new line; the emoji picker inserts where the caret is.
    await composer(ann.page).fill('Two lines');
    await composer(ann.page).press('Shift+Enter');
    await composer(ann.page).pressSequentially('and a wave ');
    await ann.page.getByRole('button', { name: 'Emoji' }).click();
    await ann.page.getByRole('tab', { name: 'People and gestures' }).click();
    await ann.page.getByRole('button', { name: '👋' }).click();
    await ann.page.keyboard.press('Escape');
    await ann.page.getByRole('dialog', { name: 'Emoji' }).waitFor({ state: 'detached' });
    expect(await composer(ann.page).inputValue()).toBe('Two lines\nand a wave 👋');
    await composer(ann.page).press('Enter');
    expect(
      await messageRow(bob.page, 'and a wave 👋')
        .locator('.rich-paragraph')
        .evaluate((p) => p.firstChild?.textContent),
    ).toBe('Two lines\nand a wave 👋');

    // Ann sends a message by mistake and deletes it; both see the tombstone.
    await send(ann.page, 'oops, wrong chat');
    await messageRow(bob.page, 'oops, wrong chat').waitFor();
    await messageAction(ann.page, 'oops, wrong chat', 'Delete');
    await ann.page.getByRole('dialog', { name: 'Delete message?' }).getByRole('button', { name: 'Delete' }).click();
    await bob.page.locator('.bubble-tombstone', { hasText: 'This message was deleted' }).waitFor();
    await ann.page.locator('.bubble-tombstone', { hasText: 'This message was deleted' }).waitFor();
    expect(await bob.page.getByText('oops, wrong chat').count()).toBe(0);

    // Carol writes to Ann; Ann forwards Bob's reply to her.
    const carolAccount = newAccount('carol');
    const carol = ts.client();
    await carol.auth.register({ ...carolAccount, displayName: 'Carol Cole' });
    const annUser = (await carol.users.search('Ann Archer')).items[0];
    if (!annUser) throw new Error('Ann not found');
    const carolChat = await carol.chats.openDirect(annUser.id);
    await carol.messages.send(carolChat.id, { clientId: 'carol-1', text: 'Ann, are you there?' });
    await chatLink(ann.page, 'Carol Cole').getByText('Ann, are you there?').waitFor();

    await messageAction(ann.page, 'good to see you', 'Forward');
    const forward = ann.page.getByRole('dialog', { name: 'Forward message' });
    await forward.getByRole('button', { name: /Carol Cole/ }).click();
    await forward.getByRole('button', { name: 'Forward', exact: true }).click();
    await forward.waitFor({ state: 'detached' });
    // The note that it went sits clear of the composer (it used to cover it) and of the chat's header.
    const toast = ann.page.locator('.toast', { hasText: 'Forwarded.' });
    await toast.waitFor();
    const [toastBox, composerBox, headerBox] = await Promise.all([
      toast.boundingBox(),
      ann.page.locator('.composer').boundingBox(),
      ann.page.locator('.conversation-header').boundingBox(),
    ]);
    if (!toastBox || !composerBox || !headerBox) throw new Error('toast, composer or header not laid out');
    expect(toastBox.y + toastBox.height).toBeLessThanOrEqual(composerBox.y);
    expect(toastBox.y).toBeGreaterThanOrEqual(headerBox.y + headerBox.height);
    // Centred in the window.
    expect(Math.abs(toastBox.x + toastBox.width / 2 - 640)).toBeLessThan(2);
    const forwarded = (await carol.messages.history(carolChat.id)).items.at(-1);
    expect(forwarded).toMatchObject({ text: 'Hi Ann, good to see you', forwardedFrom: { senderName: 'Bob Baker' } });
    await chatLink(ann.page, 'Carol Cole').click();
    await messageRow(ann.page, 'good to see you').getByText('Forwarded from').waitFor();

    // Messages sent by either side arrive once each: nothing duplicated on reload.
    await bob.page.reload();
    await messageRow(bob.page, 'good to see you').waitFor();
    expect(await bob.page.locator('.message-row').count()).toBe(4);
    await ann.context.close();
    await bob.context.close();
  });

  it('opens the message menu with a long press on a touch screen, and copies the text', async () => {
    const account = newAccount('touch');
    const client = ts.client();
    const { user } = await client.auth.register(account);
    const friend = ts.client();
    await friend.auth.register({ ...newAccount('friend'), displayName: 'Fran Friend' });
    const chat = await friend.chats.openDirect(user.id);
    await friend.messages.send(chat.id, { clientId: 'touch-1', text: 'Copy **me**, please' });

    const phone = await openDevice(browser, ts, { viewport: 'phone', touch: true });
    await phone.context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await signIn(phone.page, account.username, account.password);
    await chatLink(phone.page, 'Fran Friend').tap();
    const bubble = messageRow(phone.page, 'Copy me, please').locator('.bubble');
    // Press and hold: no pointerup, so the long-press timer opens the menu.
    const box = await bubble.boundingBox();
    if (!box) throw new Error('bubble not visible');
    await bubble.dispatchEvent('pointerdown', { pointerType: 'touch', isPrimary: true, clientX: box.x + 20, clientY: box.y + 10 });
    const menu = phone.page.getByRole('menu', { name: 'Message actions' });
    await menu.waitFor();
    await menu.getByRole('menuitem', { name: 'Copy text' }).tap();
    await phone.page.getByText('Copied.').waitFor();
    expect(await phone.page.evaluate(() => navigator.clipboard.readText())).toBe('Copy **me**, please');
    await phone.context.close();
  });
});
