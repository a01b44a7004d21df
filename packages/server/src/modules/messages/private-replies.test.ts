/**
 * A reply quotes its original. A reply everyone sees must therefore never quote a private
 * message: the send is refused (validation_failed, rule "private") unless the reply is
 * private to the same two people, and the presenter hides the quote of any reply whose
 * audience is wider than its original's (rows written before the rule).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../test/dialects.js';
import { expectApiError } from '../../test/expect-error.js';
import { connectDevice } from '../../test/realtime-client.js';
import { signUp, startTestServer, type TestServer } from '../../test/test-server.js';

let counter = 0;
const cid = () => `pr${Date.now().toString(36)}${(counter++).toString(36)}`;

for (const dialect of DIALECTS) {
  describe(`replies to private messages on ${dialect}`, () => {
    let ts: TestServer;
    beforeAll(async () => {
      ts = await startTestServer(dialect);
    });
    afterAll(() => ts.close());

    async function roomWithSecret() {
      const owner = await signUp(ts, 'prowner');
      const alice = await signUp(ts, 'pralice');
      const bob = await signUp(ts, 'prbob');
      const group = await owner.client.chats.create({ kind: 'group', name: 'Replies', memberIds: [alice.user.id, bob.user.id] });
      const secret = await alice.client.messages.send(group.id, { clientId: cid(), text: 'the secret', privateTo: bob.user.id });
      return { owner, alice, bob, group, secret };
    }

    it('refuses a public reply to a private message over REST and the socket, naming replyTo', async () => {
      const { owner, bob, group, secret } = await roomWithSecret();
      const refused = await expectApiError(
        bob.client.messages.send(group.id, { clientId: cid(), text: 'public answer', replyTo: secret.id }),
        'validation_failed',
        400,
      );
      expect(refused.details).toMatchObject({ field: 'replyTo', rule: 'private' });
      const device = await connectDevice(ts.url, bob.token);
      const viaSocket = await device.rt
        .call('message.send', { chatId: group.id, clientId: cid(), text: 'public answer', replyTo: secret.id })
        .catch((e: unknown) => e);
      expect(viaSocket).toMatchObject({ code: 'validation_failed', details: { field: 'replyTo', rule: 'private' } });
      device.close();
      // A private reply to someone else than the other of the pair is refused too.
      await expectApiError(
        bob.client.messages.send(group.id, { clientId: cid(), text: 'x', replyTo: secret.id, privateTo: owner.user.id }),
        'validation_failed',
        400,
      );
      const seen = (await owner.client.messages.history(group.id)).items;
      expect(JSON.stringify(seen)).not.toContain('the secret');
    });

    it('lets either of the two reply privately to each other, quoting the original', async () => {
      const { alice, bob, group, secret } = await roomWithSecret();
      const reply = await bob.client.messages.send(group.id, { clientId: cid(), text: 'ok', replyTo: secret.id, privateTo: alice.user.id });
      expect(reply.replyTo).toMatchObject({ id: secret.id, text: 'the secret' });
      const again = await alice.client.messages.send(group.id, {
        clientId: cid(),
        text: 'good',
        replyTo: reply.id,
        privateTo: bob.user.id,
      });
      expect(again.replyTo).toMatchObject({ id: reply.id, text: 'ok' });
      expect((await alice.client.messages.history(group.id)).items.find((m) => m.id === reply.id)?.replyTo?.text).toBe('the secret');
    });

    it('hides the quote of a public reply whose original is private (a row from before the rule), even after edits', async () => {
      const { owner, alice, bob, group } = await roomWithSecret();
      const original = await alice.client.messages.send(group.id, { clientId: cid(), text: 'soon private' });
      const reply = await bob.client.messages.send(group.id, { clientId: cid(), text: 'public reply', replyTo: original.id });
      expect(reply.replyTo?.text).toBe('soon private');
      // What the old code let through: the original private, the reply public.
      await ts.server.storage.db.updateTable('messages').set({ private_to: bob.user.id }).where('id', '=', original.id).execute();
      await alice.client.messages.edit(group.id, original.id, 'edited secret');
      for (const viewer of [owner, alice, bob]) {
        const shown = (await viewer.client.messages.history(group.id)).items.find((m) => m.id === reply.id);
        expect(shown?.text).toBe('public reply');
        expect(shown?.replyTo).toBeNull();
      }
      const last = (await owner.client.chats.get(group.id)).lastMessage;
      expect(last?.id).toBe(reply.id);
      expect(JSON.stringify(last)).not.toContain('secret');
    });
  });
}
