/**
 * A sender's own read position is a coalesced write (event-log.ts `coalesce`): a group
 * commit holding many of their messages writes it once, at the newest. What anyone can
 * see must not change: after a burst of pipelined sends — some answered as retries of an
 * earlier message, whose units roll back — the sender has read exactly up to their newest
 * message on every device, and the other member's position has not moved.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../test/dialects.js';
import { rawSocket } from '../test/realtime-client.js';
import { signUp, startTestServer, type TestServer } from '../test/test-server.js';

const SENDS = 60;
/**
 * Every 9th send, and the last, reuse the first send's clientId: a retry, answered with the
 * original; its unit took a seq and queued its read position before its insert failed and it
 * rolled back — a write that must not survive (it would put Alice past her newest message).
 */
const retry = (i: number) => i > 0 && (i % 9 === 0 || i === SENDS - 1);

describe.each(DIALECTS)('coalesced own read positions (%s)', (dialect) => {
  let ts: TestServer;
  beforeAll(async () => {
    ts = await startTestServer(dialect, { WS_SEND_RATE_PER_SECOND: '100000', WS_SEND_BURST: '100000' });
  });
  afterAll(async () => {
    await ts?.close();
  });

  it('leaves the sender read up to their newest message, and nobody else moved', async () => {
    const alice = await signUp(ts, 'alice');
    const bob = await signUp(ts, 'bob');
    const chat = await alice.client.chats.openDirect(bob.user.id);
    await bob.client.messages.send(chat.id, { clientId: 'bob-first', text: 'hi alice' });
    const socket = await rawSocket(ts.url);
    socket.send(JSON.stringify({ id: 'hello', cmd: 'hello', params: { token: alice.token } }));
    expect((await socket.reply('hello')).type).toBe('result');
    for (let i = 0; i < SENDS; i++) {
      const clientId = retry(i) ? 'burst-0' : `burst-${i}`;
      socket.send(JSON.stringify({ id: `s${i}`, cmd: 'message.send', params: { chatId: chat.id, clientId, text: `burst ${i}` } }));
    }
    const seqs: number[] = [];
    for (let i = 0; i < SENDS; i++) {
      const reply = (await socket.reply(`s${i}`, 15_000)) as { result?: { seq: number; clientId: string } };
      expect(reply.result?.clientId, `send ${i}`).toBe(retry(i) ? 'burst-0' : `burst-${i}`);
      if (reply.result) seqs.push(reply.result.seq);
    }
    socket.ws.close();
    const newest = Math.max(...seqs);
    expect(newest).toBe(1 + SENDS - Array.from({ length: SENDS }, (_, i) => i).filter(retry).length);

    const members = await ts.server.storage.db
      .selectFrom('chat_members')
      .select(['user_id', 'last_read_seq'])
      .where('chat_id', '=', chat.id)
      .execute();
    const position = (userId: string) => Number(members.find((m) => m.user_id === userId)?.last_read_seq);
    expect(position(alice.user.id)).toBe(newest);
    // Bob read his own first message and nothing of Alice's.
    expect(position(bob.user.id)).toBe(1);
    // What the apps show: nothing unread for Alice, every message of hers unread for Bob.
    const aliceSees = (await alice.client.chats.list()).items.find((c) => c.id === chat.id);
    const bobSees = (await bob.client.chats.list()).items.find((c) => c.id === chat.id);
    expect(aliceSees?.unreadCount).toBe(0);
    expect(bobSees?.unreadCount).toBe(newest - 1);
  });
});
