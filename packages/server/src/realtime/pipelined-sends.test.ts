/**
 * One socket's sends, fired without waiting for their acks: on SQLite they share group
 * commits (pipelined), on PostgreSQL they run one after another — either way they commit
 * in the order the client sent them, a refused send in the middle neither blocks nor
 * reorders the rest, and a command that is not a send sees every send before it done.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../test/dialects.js';
import { rawSocket } from '../test/realtime-client.js';
import { signUp, startTestServer, type TestServer } from '../test/test-server.js';

const SENDS = 150;
/** Every 15th send replies to a message that does not exist: refused before it reaches the commit. */
const refused = (i: number) => i % 15 === 7;
/** Every 10th replies to an earlier message: it does more work before its commit, and so would be overtaken without the line. */
const replies = (i: number) => i % 10 === 3;
/** A `chat.get` after this send: it must see every send before it committed. */
const CHECKPOINT = 80;

describe.each(DIALECTS)('pipelined sends (%s)', (dialect) => {
  let ts: TestServer;
  beforeAll(async () => {
    ts = await startTestServer(dialect, { WS_SEND_RATE_PER_SECOND: '100000', WS_SEND_BURST: '100000' });
  });
  afterAll(async () => {
    await ts?.close();
  });

  it('commits a socket’s sends in the order sent, refusals in between included, and runs other commands after them', async () => {
    const alice = await signUp(ts, 'alice');
    const bob = await signUp(ts, 'bob');
    const chat = await alice.client.chats.openDirect(bob.user.id);
    const first = await alice.client.messages.send(chat.id, { clientId: 'pipe-first', text: 'message first' });
    const socket = await rawSocket(ts.url);
    socket.send(JSON.stringify({ id: 'hello', cmd: 'hello', params: { token: alice.token } }));
    expect((await socket.reply('hello')).type).toBe('result');

    for (let i = 0; i < SENDS; i++) {
      const params = {
        chatId: chat.id,
        clientId: `pipe-${i}`,
        text: `message ${i}`,
        ...(refused(i) && { replyTo: randomUUID() }),
        ...(replies(i) && { replyTo: first.id }),
      };
      socket.send(JSON.stringify({ id: `s${i}`, cmd: 'message.send', params }));
      if (i === CHECKPOINT) socket.send(JSON.stringify({ id: 'checkpoint', cmd: 'chat.get', params: { chatId: chat.id } }));
    }

    const seqs: number[] = [];
    for (let i = 0; i < SENDS; i++) {
      const reply = (await socket.reply(`s${i}`, 15_000)) as {
        type: string;
        result?: { seq: number; text: string };
        error?: { code: string };
      };
      if (refused(i)) {
        expect(reply.error?.code, `send ${i}`).toBe('message_not_found');
        continue;
      }
      expect(reply.type, `send ${i}`).toBe('result');
      expect(reply.result?.text).toBe(`message ${i}`);
      seqs.push(reply.result?.seq ?? -1);
    }
    const accepted = [...Array(SENDS).keys()].filter((i) => !refused(i));
    // Gapless and in the order sent.
    expect(seqs).toEqual(accepted.map((_, n) => n + 2));

    const checkpoint = (await socket.reply('checkpoint')) as { result?: { lastSeq: number } };
    expect(checkpoint.result?.lastSeq).toBe(1 + accepted.filter((i) => i <= CHECKPOINT).length);

    const history = await bob.client.messages.history(chat.id, { limit: 200 });
    expect(history.items.map((m) => m.text)).toEqual(['message first', ...accepted.map((i) => `message ${i}`)]);
    socket.ws.close();
  });
});
