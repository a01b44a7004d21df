/**
 * A lone UTF-16 surrogate (`"\ud800"` in JSON) is not text: SQLite stored it as three
 * U+FFFD, PostgreSQL as one, while the ack and the event echoed it unchanged. Every string
 * of every input is refused with validation_failed naming the field, over REST and the
 * socket, so the ack, the event and storage can never disagree. Paired surrogates (emoji)
 * are ordinary text.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../test/dialects.js';
import { rawSocket } from '../../test/realtime-client.js';
import { signUp, startTestServer, type TestServer } from '../../test/test-server.js';

/** Raw JSON, so the escape reaches the server as written (JSON.stringify would keep it too, but this is explicit). */
async function call(ts: TestServer, token: string, method: string, path: string, json: string) {
  const response = await fetch(`${ts.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: json,
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const refused = (field: string, location = 'body') => ({
  error: { code: 'validation_failed', details: { location, field, rule: 'wellFormed' } },
});

for (const dialect of DIALECTS) {
  describe(`unpaired surrogates on ${dialect}`, () => {
    let ts: TestServer;
    beforeAll(async () => {
      ts = await startTestServer(dialect);
    });
    afterAll(() => ts.close());

    it('refuses a lone surrogate in message text, display names and chat names over REST, and stores nothing', async () => {
      const a = await signUp(ts, 'surra');
      const b = await signUp(ts, 'surrb');
      const chat = await a.client.chats.openDirect(b.user.id);
      const path = `/api/v1/chats/${chat.id}/messages`;
      for (const text of ['\\ud800', 'a\\udfffb', 'x\\ude00\\ud83d']) {
        const sent = await call(ts, a.token, 'POST', path, `{"clientId":"s${text.length}${text.charCodeAt(3)}","text":"${text}"}`);
        expect(sent).toMatchObject({ status: 400, body: refused('text') });
      }
      expect((await a.client.messages.history(chat.id)).items).toEqual([]);
      expect(await call(ts, a.token, 'PATCH', '/api/v1/users/me', '{"displayName":"Ann\\ud800"}')).toMatchObject({
        status: 400,
        body: refused('displayName'),
      });
      expect(await call(ts, a.token, 'POST', '/api/v1/chats', '{"kind":"group","name":"G\\udc00"}')).toMatchObject({
        status: 400,
        body: refused('name'),
      });
      expect((await a.client.users.me()).displayName).toBe(a.user.displayName);
      // Paired surrogates are ordinary characters.
      const emoji = await call(ts, a.token, 'POST', path, '{"clientId":"emoji","text":"\\ud83d\\ude00"}');
      expect(emoji).toMatchObject({ status: 201, body: { text: '😀' } });
      expect((await b.client.messages.history(chat.id)).items.map((m) => m.text)).toEqual(['😀']);
    });

    it('refuses a lone surrogate in command params over the socket, naming the field, and sends no event', async () => {
      const a = await signUp(ts, 'surrws');
      const b = await signUp(ts, 'surrwt');
      const group = await a.client.chats.create({ kind: 'group', name: 'Surrogates', memberIds: [b.user.id] });
      const socket = await rawSocket(ts.url);
      socket.send(JSON.stringify({ id: 'h', cmd: 'hello', params: { token: a.token } }));
      await socket.reply('h');
      socket.send(`{"id":"s","cmd":"message.send","params":{"chatId":"${group.id}","clientId":"lone","text":"hi \\ud800"}}`);
      expect(await socket.reply('s')).toMatchObject({ type: 'error', ...refused('text', 'params') });
      socket.send(`{"id":"u","cmd":"chat.update","params":{"chatId":"${group.id}","name":"\\udbff"}}`);
      expect(await socket.reply('u')).toMatchObject({ type: 'error', ...refused('name', 'params') });
      socket.send(`{"id":"r","cmd":"reaction.add","params":{"chatId":"${group.id}","messageId":"m","emoji":"\\ud83d"}}`);
      expect(await socket.reply('r')).toMatchObject({ type: 'error', ...refused('emoji', 'params') });
      socket.send(`{"id":"ok","cmd":"message.send","params":{"chatId":"${group.id}","clientId":"paired","text":"\\ud83d\\ude00"}}`);
      expect(await socket.reply('ok')).toMatchObject({ type: 'result', result: { text: '😀' } });
      const created = socket.frames.filter((f) => f.type === 'event' && f.event === 'message.created');
      expect(created.map((f) => (f.data as { message: { text: string } }).message.text)).toEqual(['😀']);
      expect((await b.client.chats.get(group.id)).name).toBe('Surrogates');
      socket.ws.close();
    });
  });
}
