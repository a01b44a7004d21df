/**
 * Forwarding several messages at once (issue 16): up to 100 in one call, arriving in the
 * source chat's order, one `message.created` event per forwarded message; 101 is refused.
 */
import type { Message } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../test/dialects.js';
import { expectApiError } from '../../test/expect-error.js';
import { connectDevice } from '../../test/realtime-client.js';
import { signUp, startTestServer, type TestServer } from '../../test/test-server.js';

for (const dialect of DIALECTS) {
  describe(`forwarding many messages on ${dialect}`, () => {
    let ts: TestServer;
    beforeAll(async () => {
      // 101 sends in a row: a budget above the default burst.
      ts = await startTestServer(dialect, { WS_SEND_BURST: '500', WS_SEND_RATE_PER_SECOND: '500' });
    });
    afterAll(() => ts.close());

    it('forwards 100 messages in chat order, one event each, and refuses 101', { timeout: 60_000 }, async () => {
      const ann = await signUp(ts, 'ann');
      const bob = await signUp(ts, 'bob');
      const source = await ann.client.chats.create({ kind: 'group', name: 'Notes', memberIds: [] });
      const target = await ann.client.chats.openDirect(bob.user.id);
      const sent: Message[] = [];
      for (let i = 0; i < 101; i++) sent.push(await ann.client.messages.send(source.id, { clientId: `mf-${i}`, text: `note ${i}` }));
      const bobDevice = await connectDevice(ts.url, bob.token);
      try {
        // Picked in a scrambled order: they arrive in the order they were written.
        const picked = sent.slice(0, 100).map((m) => m.id);
        picked.reverse();
        const { items } = await ann.client.messages.forward(source.id, picked, [target.id]);
        expect(items.map((m) => m.text)).toEqual(sent.slice(0, 100).map((m) => m.text));
        const firstSeq = items[0]?.seq ?? 0;
        expect(items.map((m) => m.seq)).toEqual(items.map((_, i) => firstSeq + i));
        await bobDevice.waitFor((f) => f.event === 'message.created' && (f.data as { message: Message }).message.text === 'note 99');
        const created = bobDevice.events.filter((f) => f.event === 'message.created').map((f) => (f.data as { message: Message }).message);
        expect(created.map((m) => m.text)).toEqual(items.map((m) => m.text));
        expect(created.every((m) => m.forwardedFrom?.chatId === source.id)).toBe(true);
        const history = await bob.client.messages.history(target.id, { limit: 200 });
        expect(history.items.map((m) => m.text)).toEqual(items.map((m) => m.text));

        await expectApiError(
          ann.client.messages.forward(
            source.id,
            sent.map((m) => m.id),
            [target.id],
          ),
          'validation_failed',
          400,
        );
      } finally {
        bobDevice.close();
      }
    });
  });
}
