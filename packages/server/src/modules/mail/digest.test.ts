/**
 * Missed-message emails against a real SMTP server started here, on every dialect:
 * unread DMs and mentions are batched into one email per person with a link per chat,
 * read, muted and unmentioned messages stay out, quiet hours hold the email, and the
 * one-click unsubscribe (RFC 8058) turns them off.
 */
import { randomUUID } from 'node:crypto';
import { createParleyClient } from '@parley/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../test/dialects.js';
import { expectApiError } from '../../test/expect-error.js';
import { sleep } from '../../test/realtime-client.js';
import { type SmtpSink, startSmtpSink } from '../../test/smtp-sink.js';
import { signUp, startTestServer, type TestServer } from '../../test/test-server.js';
import { MAIL_TEXTS } from './mail-texts.js';

type Person = Awaited<ReturnType<typeof signUp>>;
const send = (from: Person, chatId: string, text: string) => from.client.messages.send(chatId, { clientId: randomUUID(), text });

for (const dialect of DIALECTS) {
  describe(`missed-message emails on ${dialect}`, () => {
    let smtp: SmtpSink;
    let ts: TestServer;
    let alice: Person;
    let carol: Person;

    /** Makes everything so far look 20 minutes old and runs the pending digests now. */
    const timePasses = async () => {
      const db = ts.server.storage.db;
      // The push.message jobs decide who gets an email; let them schedule it first.
      await ts.server.services.notify.push.flush();
      for (let i = 0; i < 200; i += 1) {
        if ((await db.selectFrom('jobs').select('id').where('kind', '=', 'push.message').execute()).length === 0) break;
        await sleep(25);
      }
      await db
        .updateTable('messages')
        .set((eb) => ({ created_at: eb('created_at', '-', 20 * 60_000) }))
        .execute();
      await db.updateTable('jobs').set({ run_at: 0 }).where('kind', '=', 'mail.digest').execute();
    };
    const digestsDone = async () => {
      for (let i = 0; i < 200; i += 1) {
        const due = await ts.server.storage.db
          .selectFrom('jobs')
          .select('id')
          .where('kind', '=', 'mail.digest')
          .where('run_at', '<=', Date.now())
          .execute();
        if (due.length === 0) return;
        await sleep(25);
      }
    };

    beforeAll(async () => {
      smtp = await startSmtpSink();
      ts = await startTestServer(dialect, { SMTP_URL: smtp.url, JOBS_POLL_MS: '50', PUBLIC_URL: 'http://chat.example.org' });
      alice = await signUp(ts, 'alice');
      carol = await signUp(ts, 'carol');
      await smtp.next(alice.user.email);
      await smtp.next(carol.user.email);
    });
    afterAll(async () => {
      await ts?.close();
      await smtp?.close();
    });

    it('batches unread DMs and mentions into one email with a link to each chat', async () => {
      const bob = await signUp(ts, 'bob');
      await smtp.next(bob.user.email);
      const dm = await alice.client.chats.openDirect(bob.user.id);
      const group = await carol.client.chats.create({ kind: 'group', name: 'Book club', memberIds: [bob.user.id, alice.user.id] });
      const readDm = await carol.client.chats.openDirect(bob.user.id);
      await send(alice, dm.id, 'First unread');
      await send(alice, dm.id, 'Second unread');
      await send(carol, group.id, 'Chatter without a mention');
      await send(carol, group.id, `@${bob.user.username} what did you think of chapter 3?`);
      const read = await send(carol, readDm.id, 'Already read');
      await bob.client.chats.markRead(readDm.id, read.seq);
      const muted = await alice.client.chats.create({ kind: 'group', name: 'Muted room', memberIds: [bob.user.id] });
      await bob.client.chats.mute(muted.id, true);
      await send(alice, muted.id, `@${bob.user.username} muted mention`);

      await timePasses();
      const mail = await smtp.next(bob.user.email);
      expect(mail.subject).toBe('You have unread messages on Parley');
      const text = mail.text ?? '';
      expect(text).toContain(`${alice.user.displayName}: 2 unread`);
      expect(text).toContain('Second unread');
      expect(text).toContain('Book club: 1 unread');
      expect(text).toContain(`${carol.user.displayName} mentioned you: @${bob.user.username} what did you think of chapter 3?`);
      expect(text).not.toContain('Chatter without a mention');
      expect(text).not.toContain('Already read');
      expect(text).not.toContain('Muted room');
      expect(text).toContain(`http://chat.example.org/chats/${dm.id}`);
      expect(text).toContain(`http://chat.example.org/chats/${group.id}`);
      expect(String(mail.html)).toContain(`href="http://chat.example.org/chats/${group.id}"`);
      const header = (name: string) => mail.headerLines.find((h) => h.key === name)?.line.replace(/^[^:]+:\s*/, '') ?? '';
      expect(header('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
      expect(header('list-unsubscribe')).toMatch(/^<http:\/\/chat\.example\.org\/api\/v1\/notifications\/unsubscribe\?token=[\w.-]+>$/);

      // Emailed once: the same messages do not come again.
      await ts.server.storage.db.updateTable('jobs').set({ run_at: 0 }).where('kind', '=', 'mail.digest').execute();
      await digestsDone();
      await smtp.expectNone(bob.user.email, 300);
    });

    it('writes the email in the recipient’s language, as text and as HTML, and follows a language chosen later', async () => {
      const korean = createParleyClient({ baseUrl: ts.url, headers: { 'accept-language': 'ko-KR,ko;q=0.9' } });
      const { user: minji } = await korean.auth.register({
        email: 'minji@example.org',
        username: `minji${randomUUID().slice(0, 6)}`,
        password: 'a long enough secret',
        displayName: '민지',
      });
      expect((await smtp.next('minji@example.org')).subject).toBe(MAIL_TEXTS.ko.verifySubject);
      const dm = await alice.client.chats.openDirect(minji.id);
      const group = await carol.client.chats.create({ kind: 'group', name: 'Hiking', memberIds: [minji.id] });
      await send(alice, dm.id, '안녕하세요');
      await send(carol, group.id, `@${minji.username} 토요일에 올래요?`);
      await timePasses();
      const mail = await smtp.next('minji@example.org');
      expect(mail.subject).toBe(MAIL_TEXTS.ko.digestSubject);
      const html = String(mail.html);
      expect(html).toContain('<html lang="ko">');
      for (const part of [mail.text ?? '', html]) {
        expect(part).toContain('민지');
        expect(part).toContain(MAIL_TEXTS.ko.digestIntro);
        expect(part).toContain(MAIL_TEXTS.ko.digestChatLine.replace('{chat}', alice.user.displayName).replace('{count}', '1'));
        expect(part).toContain(MAIL_TEXTS.ko.digestMention.replace('{sender}', carol.user.displayName));
        expect(part).toContain(MAIL_TEXTS.ko.digestUnsubscribe);
      }
      expect(mail.text).not.toContain('<');

      // The account's app language, once chosen, is the email's.
      await korean.users.updateMe({ language: 'ja' });
      await send(alice, dm.id, 'こんにちは');
      await timePasses();
      const japanese = await smtp.next('minji@example.org');
      expect(japanese.subject).toBe(MAIL_TEXTS.ja.digestSubject);
      expect(String(japanese.html)).toContain('<html lang="ja">');
      expect(japanese.text).toContain(MAIL_TEXTS.ja.digestIntro);
    });

    it('holds the email during quiet hours and sends it when they end', async () => {
      const dave = await signUp(ts, 'dave');
      await smtp.next(dave.user.email);
      const until = Date.now() + 3_600_000;
      await dave.client.notifications.updateSettings({ doNotDisturbUntil: new Date(until).toISOString() });
      const dm = await alice.client.chats.openDirect(dave.user.id);
      await send(alice, dm.id, 'While you sleep');
      await timePasses();
      await digestsDone();
      await smtp.expectNone(dave.user.email, 300);
      const held = await ts.server.storage.db
        .selectFrom('jobs')
        .select(['run_at', 'unique_key'])
        .where('kind', '=', 'mail.digest')
        .execute();
      expect(held).toContainEqual({ run_at: expect.any(Number), unique_key: `mail.digest-later:${dave.user.id}` });
      const later = held.find((j) => j.unique_key === `mail.digest-later:${dave.user.id}`);
      expect(Number(later?.run_at)).toBeGreaterThanOrEqual(until);

      await dave.client.notifications.updateSettings({ doNotDisturbUntil: null });
      await ts.server.storage.db.updateTable('jobs').set({ run_at: 0 }).where('kind', '=', 'mail.digest').execute();
      expect((await smtp.next(dave.user.email)).text).toContain('While you sleep');
    });

    it('unsubscribes with one click, and a forged link is refused', async () => {
      const erin = await signUp(ts, 'erin');
      await smtp.next(erin.user.email);
      const dm = await alice.client.chats.openDirect(erin.user.id);
      await send(alice, dm.id, 'Hello Erin');
      await timePasses();
      const mail = await smtp.next(erin.user.email);
      const oneClick = /<([^>]+)>/.exec(mail.headerLines.find((h) => h.key === 'list-unsubscribe')?.line ?? '')?.[1] ?? '';
      const token = new URL(oneClick).searchParams.get('token') ?? '';
      await expectApiError(ts.client().notifications.unsubscribe(`${token.split('.')[0]}.forged`), 'invalid_token', 400);

      // What a mail client sends (RFC 8058): a form POST to the header's address.
      const response = await fetch(`${ts.url}${new URL(oneClick).pathname}${new URL(oneClick).search}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'List-Unsubscribe=One-Click',
      });
      expect(response.status).toBe(204);
      expect((await erin.client.notifications.settings()).emailDigest).toBe(false);

      await send(alice, dm.id, 'Nobody will email this');
      await timePasses();
      await digestsDone();
      await smtp.expectNone(erin.user.email, 300);
      // The settings page turns them back on.
      expect((await erin.client.notifications.updateSettings({ emailDigest: true, digestDelayMinutes: 5 })).digestDelayMinutes).toBe(5);
    });
  });
}
