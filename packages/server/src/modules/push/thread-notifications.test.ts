/**
 * Pushes and missed-message emails for replies only in a thread, on every dialect, against a
 * push endpoint and an SMTP server started here: such a reply is for the thread's followers
 * and whom it mentions (not every member, not a chat set to "all"); it is judged read by the
 * thread's read position, never the chat's; and reading the thread closes its notification.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../test/dialects.js';
import { type PushEndpoint, startPushEndpoint } from '../../test/push-endpoint.js';
import { sleep } from '../../test/realtime-client.js';
import { type SmtpSink, startSmtpSink } from '../../test/smtp-sink.js';
import { signUp, startTestServer, type TestServer } from '../../test/test-server.js';

type Person = Awaited<ReturnType<typeof signUp>>;

for (const dialect of DIALECTS) {
  describe(`notifications of thread replies on ${dialect}`, () => {
    let pushService: PushEndpoint;
    let smtp: SmtpSink;
    let ts: TestServer;

    const send = (from: Person, chatId: string, text: string, threadRootId?: string) =>
      from.client.messages.send(chatId, { clientId: randomUUID(), text, ...(threadRootId && { threadRootId }) });

    const pushesTo = (device: string) => pushService.received.filter((p) => p.device === device);

    /** Waits until every push job has run. */
    const drained = async () => {
      await ts.server.services.notify.push.flush();
      for (let i = 0; i < 200; i += 1) {
        const pending = await ts.server.storage.db
          .selectFrom('jobs')
          .select('id')
          .where('kind', 'in', ['push.message', 'push.deliver', 'push.close'])
          .where('status', '!=', 'failed')
          .execute();
        if (pending.length === 0) return;
        await sleep(25);
      }
      throw new Error('push jobs did not finish');
    };

    async function person(name: string, device?: string) {
      const someone = await signUp(ts, name);
      await smtp.next(someone.user.email);
      if (device) await someone.client.notifications.subscribePush(pushService.subscribe(device));
      return someone;
    }

    beforeAll(async () => {
      pushService = await startPushEndpoint();
      smtp = await startSmtpSink();
      ts = await startTestServer(dialect, {
        SMTP_URL: smtp.url,
        JOBS_POLL_MS: '50',
        PRESENCE_GRACE_MS: '0',
        VAPID_SUBJECT: 'mailto:ops@example.org',
        PUBLIC_URL: 'http://chat.example.org',
      });
    });
    afterAll(async () => {
      await ts?.close();
      await pushService?.close();
      await smtp?.close();
    });

    it('pushes a thread-only reply to followers and the mentioned, not to a member whose chat is at "all"', async () => {
      const ann = await person('ann');
      const bob = await person('bob', 'bob-phone');
      const carol = await person('carol');
      const group = await ann.client.chats.create({ kind: 'group', name: 'Design', memberIds: [bob.user.id, carol.user.id] });
      const root = await send(ann, group.id, 'Which logo do we ship?');
      await drained();
      await bob.client.notifications.setChatLevel(group.id, 'all');

      await send(carol, group.id, 'The round one', root.id);
      await drained();
      expect(pushesTo('bob-phone')).toEqual([]);

      await send(carol, group.id, `@${bob.user.username} what do you think?`, root.id);
      expect((await pushService.next('bob-phone')).payload).toMatchObject({ type: 'message', threadRootId: root.id });

      await bob.client.notifications.setChatLevel(group.id, 'default');
      await bob.client.threads.follow(group.id, root.id, true);
      const followed = await send(carol, group.id, 'Followers hear this', root.id);
      expect((await pushService.next('bob-phone')).payload).toMatchObject({
        type: 'message',
        chatId: group.id,
        messageId: followed.id,
        threadRootId: root.id,
        body: `${carol.user.displayName}: Followers hear this`,
        url: `http://chat.example.org/chats/${group.id}?thread=${root.id}`,
      });

      // Reading the chat past it closes nothing: the reply is not on the chat's timeline.
      const later = await send(ann, group.id, 'Back in the chat');
      await bob.client.chats.markRead(group.id, later.seq);
      await drained();
      expect(pushesTo('bob-phone')).toEqual([]);
      // Reading the thread closes the thread's notification.
      await bob.client.threads.markRead(group.id, root.id, followed.seq);
      expect((await pushService.next('bob-phone')).payload).toEqual({ type: 'close', chatId: group.id, threadRootId: root.id });
    });

    it('pushes nothing, once quiet hours end, for a held reply that was read in the thread meanwhile', async () => {
      const ann = await person('ann');
      const dan = await person('dan', 'dan-phone');
      const group = await ann.client.chats.create({ kind: 'group', name: 'Ops', memberIds: [dan.user.id] });
      const root = await send(dan, group.id, 'Deploy on Friday?');
      await dan.client.notifications.updateSettings({ doNotDisturbUntil: new Date(Date.now() + 1500).toISOString() });
      const reply = await send(ann, group.id, 'Never on a Friday', root.id);
      await drained();
      await dan.client.threads.markRead(group.id, root.id, reply.seq);
      await sleep(3000);
      await drained();
      expect(pushesTo('dan-phone')).toEqual([]);
      // Not read: the held reply comes, as the thread's.
      await dan.client.notifications.updateSettings({ doNotDisturbUntil: new Date(Date.now() + 1000).toISOString() });
      await send(ann, group.id, 'Monday then', root.id);
      expect((await pushService.next('dan-phone', 6000)).payload).toMatchObject({
        body: `${ann.user.displayName}: Monday then`,
        threadRootId: root.id,
      });
    });

    it('emails a thread-only reply by the thread’s read position, not the chat’s', async () => {
      const ann = await person('ann');
      const erin = await person('erin');
      const dm = await ann.client.chats.openDirect(erin.user.id);
      // Erin wrote the root, so she follows the thread from its first reply.
      const root = await send(erin, dm.id, 'Lunch plans?');
      const readInThread = await send(ann, dm.id, 'Noodles, read in the thread', root.id);
      await erin.client.threads.markRead(dm.id, root.id, readInThread.seq);
      await send(ann, dm.id, 'Or dumplings, unread in the thread', root.id);
      const inChat = await send(ann, dm.id, 'Read in the chat');
      // The chat's read position passes the unread reply; that does not make it read.
      await erin.client.chats.markRead(dm.id, inChat.seq);

      await drained();
      const db = ts.server.storage.db;
      await db
        .updateTable('messages')
        .set((eb) => ({ created_at: eb('created_at', '-', 20 * 60_000) }))
        .execute();
      await db.updateTable('jobs').set({ run_at: 0 }).where('kind', '=', 'mail.digest').execute();
      const text = (await smtp.next(erin.user.email)).text ?? '';
      expect(text).toContain('Or dumplings, unread in the thread');
      expect(text).not.toContain('Noodles, read in the thread');
      expect(text).not.toContain('Read in the chat');
    });
  });
}
