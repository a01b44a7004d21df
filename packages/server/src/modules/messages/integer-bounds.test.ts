/**
 * Integers past Number.MAX_SAFE_INTEGER are refused at the edge, naming the field, on both
 * dialects and both transports. PostgreSQL used to answer 500 to a `before` beyond bigint.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../test/dialects.js';
import { rawSocket } from '../../test/realtime-client.js';
import { signUp, startTestServer, type TestServer } from '../../test/test-server.js';

const HUGE = ['100000000000000000000', '9223372036854775808', '1e308', '9007199254740992'];

for (const dialect of DIALECTS) {
  describe(`integer bounds on ${dialect}`, () => {
    let ts: TestServer;
    beforeAll(async () => {
      ts = await startTestServer(dialect);
    });
    afterAll(() => ts.close());

    it('answers validation_failed naming before or after to a history position beyond the safe range, over REST', async () => {
      const a = await signUp(ts, 'boundsa');
      const b = await signUp(ts, 'boundsb');
      const chat = await a.client.chats.openDirect(b.user.id);
      for (const field of ['before', 'after']) {
        for (const value of HUGE) {
          const response = await fetch(`${ts.url}/api/v1/chats/${chat.id}/messages?${field}=${value}`, {
            headers: { authorization: `Bearer ${a.token}` },
          });
          expect({ field, value, status: response.status }).toEqual({ field, value, status: 400 });
          expect(await response.json()).toMatchObject({
            error: { code: 'validation_failed', details: { location: 'query', field, rule: 'maximum' } },
          });
        }
      }
      const safe = await fetch(`${ts.url}/api/v1/chats/${chat.id}/messages?before=9007199254740991`, {
        headers: { authorization: `Bearer ${a.token}` },
      });
      expect(safe.status).toBe(200);
    });

    it('answers validation_failed naming seq to a read mark beyond the safe range, over REST', async () => {
      const a = await signUp(ts, 'boundsr');
      const b = await signUp(ts, 'boundss');
      const chat = await a.client.chats.openDirect(b.user.id);
      const response = await fetch(`${ts.url}/api/v1/chats/${chat.id}/read`, {
        method: 'POST',
        headers: { authorization: `Bearer ${a.token}`, 'content-type': 'application/json' },
        body: '{"seq":100000000000000000000}',
      });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({
        error: { code: 'validation_failed', details: { location: 'body', field: 'seq', rule: 'maximum' } },
      });
    });

    it('answers validation_failed naming the field over the WebSocket too', async () => {
      const a = await signUp(ts, 'boundsw');
      const b = await signUp(ts, 'boundsx');
      const chat = await a.client.chats.openDirect(b.user.id);
      const socket = await rawSocket(ts.url);
      socket.send(JSON.stringify({ id: 'h', cmd: 'hello', params: { token: a.token } }));
      await socket.reply('h');
      for (const [i, value] of HUGE.entries()) {
        socket.send(`{"id":"b${i}","cmd":"message.history","params":{"chatId":"${chat.id}","before":${value}}}`);
        expect(await socket.reply(`b${i}`)).toMatchObject({
          type: 'error',
          error: { code: 'validation_failed', details: { location: 'params', field: 'before', rule: 'maximum' } },
        });
        socket.send(`{"id":"a${i}","cmd":"message.history","params":{"chatId":"${chat.id}","after":${value}}}`);
        expect(await socket.reply(`a${i}`)).toMatchObject({ error: { code: 'validation_failed', details: { field: 'after' } } });
        socket.send(`{"id":"r${i}","cmd":"read.mark","params":{"chatId":"${chat.id}","seq":${value}}}`);
        expect(await socket.reply(`r${i}`)).toMatchObject({ error: { code: 'validation_failed', details: { field: 'seq' } } });
      }
      socket.ws.close();
    });
  });
}
