/**
 * The newest page of a chat is kept presented and serialised (history-cache.ts), and the
 * session behind a request may be kept too (auth/session-cache.ts). Neither may ever show
 * what the database no longer says: each rule below reads the page (or authenticates) once
 * so that it is kept, changes something, and expects the very next request to show it.
 */
import { randomBytes } from 'node:crypto';
import { createParleyClient } from '@parley/sdk';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config.js';
import { DIALECTS, REDIS_TEST_URL } from '../../test/dialects.js';
import { expectApiError } from '../../test/expect-error.js';
import { type SecondInstance, signUp, startSecondInstance, startTestServer, type TestServer } from '../../test/test-server.js';

let counter = 0;
const cid = () => `hc${Date.now().toString(36)}${(counter++).toString(36)}`;

for (const dialect of DIALECTS) {
  describe(`the kept newest page and session on ${dialect}`, () => {
    let ts: TestServer;
    beforeAll(async () => {
      ts = await startTestServer(dialect);
    });
    afterAll(() => ts.close());

    async function group() {
      const owner = await signUp(ts, 'hcowner');
      const alice = await signUp(ts, 'hcalice');
      const bob = await signUp(ts, 'hcbob');
      const chat = await owner.client.chats.create({ kind: 'group', name: 'Kept', memberIds: [alice.user.id, bob.user.id] });
      return { owner, alice, bob, chat };
    }
    // The messages people wrote (a new group's page also holds its system messages).
    const written = <M extends { kind: string }>(page: { items: M[] }) => page.items.filter((m) => m.kind === 'text');
    const texts = (page: { items: { kind: string; text: string }[] }) => written(page).map((m) => m.text);

    it('shows an edit, a reaction and a deletion in the next page after the page was kept', async () => {
      const { alice, bob, chat } = await group();
      const first = await alice.client.messages.send(chat.id, { clientId: cid(), text: 'as sent' });
      await alice.client.messages.send(chat.id, { clientId: cid(), text: 'second' });
      expect(texts(await bob.client.messages.history(chat.id))).toEqual(['as sent', 'second']);
      expect(texts(await bob.client.messages.history(chat.id))).toEqual(['as sent', 'second']);
      await alice.client.messages.edit(chat.id, first.id, 'as edited');
      const edited = await bob.client.messages.history(chat.id);
      expect(texts(edited)).toEqual(['as edited', 'second']);
      expect(written(edited)[0]?.editedAt).not.toBeNull();
      await alice.client.messages.react(chat.id, first.id, '👍');
      expect(written(await bob.client.messages.history(chat.id))[0]?.reactions).toEqual([
        { emoji: '👍', count: 1, userIds: [alice.user.id] },
      ]);
      await alice.client.messages.delete(chat.id, first.id);
      const deleted = written(await bob.client.messages.history(chat.id))[0];
      expect(deleted).toMatchObject({ id: first.id, text: '', reactions: [] });
      expect(deleted?.deletedAt).not.toBeNull();
    });

    it('shows a sender’s new display name in the next page, with no message in between', async () => {
      const { alice, bob, chat } = await group();
      await alice.client.messages.send(chat.id, { clientId: cid(), text: 'hello' });
      await bob.client.messages.history(chat.id);
      expect(written(await bob.client.messages.history(chat.id))[0]?.sender?.displayName).toBe(alice.user.displayName);
      await alice.client.users.updateMe({ displayName: 'Alice Renamed' });
      expect(written(await bob.client.messages.history(chat.id))[0]?.sender?.displayName).toBe('Alice Renamed');
    });

    it('never shows a private message to a third member, whoever read the page first', async () => {
      const { owner, alice, bob, chat } = await group();
      for (let i = 1; i <= 4; i++) await owner.client.messages.send(chat.id, { clientId: cid(), text: `public ${i}` });
      await alice.client.messages.send(chat.id, { clientId: cid(), text: 'the secret', privateTo: bob.user.id });
      // The two of the secret read first (and again), so the page is kept with it…
      for (const reader of [bob, alice, bob]) expect(texts(await reader.client.messages.history(chat.id)).at(-1)).toBe('the secret');
      // …and the third member gets the page without it, as many messages as asked for, the
      // older ones still known to exist.
      const third = await owner.client.messages.history(chat.id, { limit: 3 });
      expect(third).toMatchObject({ hasOlder: true, hasNewer: false });
      expect(texts(third)).toEqual(['public 2', 'public 3', 'public 4']);
      for (let round = 0; round < 2; round++) {
        const whole = await owner.client.messages.history(chat.id);
        expect(JSON.stringify(whole)).not.toContain('the secret');
        expect(texts(whole)).toEqual(['public 1', 'public 2', 'public 3', 'public 4']);
      }
      const twoOfThem = await bob.client.messages.history(chat.id, { limit: 3 });
      expect(texts(twoOfThem)).toEqual(['public 3', 'public 4', 'the secret']);
    });

    it('refuses a member removed since the page was kept, as a non-member (404)', async () => {
      const { owner, alice, bob, chat } = await group();
      await alice.client.messages.send(chat.id, { clientId: cid(), text: 'members only' });
      await bob.client.messages.history(chat.id);
      await bob.client.messages.history(chat.id);
      await owner.client.chats.removeMember(chat.id, bob.user.id);
      await expectApiError(bob.client.messages.history(chat.id), 'chat_not_found', 404);
      const stranger = await signUp(ts, 'hcstranger');
      await expectApiError(stranger.client.messages.history(chat.id), 'chat_not_found', 404);
    });

    it('refuses a session signed out or revoked since it was last used, from the next request on', async () => {
      const { alice, chat } = await group();
      await alice.client.messages.send(chat.id, { clientId: cid(), text: 'hello' });
      const signedOut = createParleyClient({ baseUrl: ts.url, token: alice.token });
      await signedOut.messages.history(chat.id);
      await signedOut.messages.history(chat.id);
      await alice.client.auth.logout();
      await expectApiError(signedOut.messages.history(chat.id), 'unauthenticated', 401);

      const laptop = ts.client();
      await laptop.auth.login({ login: alice.user.username, password: alice.password });
      const phone = ts.client();
      await phone.auth.login({ login: alice.user.username, password: alice.password });
      await phone.messages.history(chat.id);
      await phone.messages.history(chat.id);
      const phoneSession = (await phone.auth.sessions()).items.find((s) => s.current);
      await laptop.auth.revokeSession(phoneSession?.id ?? '');
      await expectApiError(phone.messages.history(chat.id), 'unauthenticated', 401);
      // A password change ends every other session.
      const tablet = ts.client();
      await tablet.auth.login({ login: alice.user.username, password: alice.password });
      await tablet.messages.history(chat.id);
      await tablet.messages.history(chat.id);
      await laptop.auth.changePassword({ oldPassword: alice.password, newPassword: `new-${randomBytes(8).toString('hex')}` });
      await expectApiError(tablet.messages.history(chat.id), 'unauthenticated', 401);
      expect(texts(await laptop.messages.history(chat.id))).toEqual(['hello']);
    });

    it.skipIf(dialect !== 'sqlite')('refuses a session that another process deleted from the database file', async () => {
      const { alice, chat } = await group();
      await alice.client.messages.history(chat.id);
      await alice.client.messages.history(chat.id);
      // As parley-admin does on a server without Redis: another connection, no bus.
      const other = new SQLite(loadConfig(ts.env).sqlitePath);
      try {
        other.prepare('delete from sessions where user_id = ?').run(alice.user.id);
      } finally {
        other.close();
      }
      await expectApiError(alice.client.messages.history(chat.id), 'unauthenticated', 401);
    });
  });
}

describe.skipIf(!DIALECTS.includes('postgres'))('the kept newest page across two instances', () => {
  let first: TestServer;
  let second: SecondInstance;
  beforeAll(async () => {
    // Both on the same database and Redis bus (a key prefix of their own), as a cluster is.
    const shared = { REDIS_URL: REDIS_TEST_URL, REDIS_KEY_PREFIX: `hc${randomBytes(4).toString('hex')}` };
    first = await startTestServer('postgres', { ...shared, INSTANCE_ID: 'first' });
    second = await startSecondInstance(first);
  }, 60_000);
  afterAll(async () => {
    await second?.close();
    await first?.close();
  });

  it('shows an edit made on one instance in the next page read on the other, at once', async () => {
    const ann = await signUp(first, 'hcann');
    const bob = await signUp(first, 'hcbob');
    const direct = await ann.client.chats.openDirect(bob.user.id);
    const sent = await ann.client.messages.send(direct.id, { clientId: cid(), text: 'before' });
    const bobOnSecond = createParleyClient({ baseUrl: second.url, token: bob.token });
    await bobOnSecond.messages.history(direct.id);
    expect((await bobOnSecond.messages.history(direct.id)).items.map((m) => m.text)).toEqual(['before']);
    await ann.client.messages.edit(direct.id, sent.id, 'after');
    // No waiting for the bus: the page's event position is read from the database.
    expect((await bobOnSecond.messages.history(direct.id)).items.map((m) => m.text)).toEqual(['after']);
  });

  it('shows a rename made on one instance in the other’s next pages once the bus brings it', async () => {
    const ann = await signUp(first, 'hcann');
    const bob = await signUp(first, 'hcbob');
    const direct = await ann.client.chats.openDirect(bob.user.id);
    await ann.client.messages.send(direct.id, { clientId: cid(), text: 'hi' });
    const bobOnSecond = createParleyClient({ baseUrl: second.url, token: bob.token });
    await bobOnSecond.messages.history(direct.id);
    await ann.client.users.updateMe({ displayName: 'Ann Elsewhere' });
    // Far sooner than the 2 s after which the page would be read again anyway.
    const deadline = Date.now() + 1_000;
    let shown: string | undefined;
    while (shown !== 'Ann Elsewhere' && Date.now() < deadline) {
      shown = (await bobOnSecond.messages.history(direct.id)).items[0]?.sender?.displayName;
      if (shown !== 'Ann Elsewhere') await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(shown).toBe('Ann Elsewhere');
  });

  it('refuses on the other instance, at once, a session signed out on one', async () => {
    const ann = await signUp(first, 'hcann');
    const bob = await signUp(first, 'hcbob');
    const direct = await ann.client.chats.openDirect(bob.user.id);
    const annOnSecond = createParleyClient({ baseUrl: second.url, token: ann.token });
    await annOnSecond.messages.history(direct.id);
    await annOnSecond.messages.history(direct.id);
    await ann.client.auth.logout();
    await expectApiError(annOnSecond.messages.history(direct.id), 'unauthenticated', 401);
  });
});
