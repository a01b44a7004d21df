/**
 * An acked message is never lost: the server process is killed with SIGKILL the
 * instant the last ack arrives, restarted on the same database, and every acked message
 * is there — on SQLite and on PostgreSQL.
 */
import { type Message, WS_PATH } from '@parley/protocol';
import { createParleyClient } from '@parley/sdk';
import { beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { DIALECTS } from '../test/dialects.js';
import { buildServer, startServerProcess } from '../test/server-process.js';
import { createTestDatabase } from '../test/test-server.js';

describe('durability of acked messages', () => {
  beforeAll(() => buildServer(), 120_000);

  for (const dialect of DIALECTS) {
    it(`keeps every acked message after SIGKILL right after the ack, on ${dialect}`, { timeout: 90_000 }, async () => {
      const database = await createTestDatabase(dialect);
      try {
        const first = await startServerProcess({ ...database.env, WS_SEND_BURST: '10000' });
        const api = createParleyClient({ baseUrl: first.url });
        const { token, user } = await api.auth.register({
          email: 'durable@example.org',
          username: 'durable',
          password: 'durable passphrase 1',
        });
        const peer = await createParleyClient({ baseUrl: first.url }).auth.register({
          email: 'peer@example.org',
          username: 'peer',
          password: 'durable passphrase 2',
        });
        const chat = await api.chats.openDirect(peer.user.id);

        const ws = new WebSocket(`${first.url.replace('http', 'ws')}${WS_PATH}`);
        await new Promise((resolve) => ws.once('open', resolve));
        const acked: Message[] = [];
        const total = 200;
        const killed = new Promise<void>((resolve) => {
          ws.on('message', (raw) => {
            const frame = JSON.parse(String(raw)) as { type: string; id?: string; result?: Message };
            if (frame.type !== 'result' || !frame.id?.startsWith('s') || !frame.result) return;
            acked.push(frame.result);
            if (acked.length === total) {
              // The very instant the last ack is read: no graceful anything.
              first.child.kill('SIGKILL');
              resolve();
            }
          });
        });
        ws.send(JSON.stringify({ id: 'h', cmd: 'hello', params: { token } }));
        for (let i = 0; i < total; i += 1) {
          ws.send(
            JSON.stringify({
              id: `s${i}`,
              cmd: 'message.send',
              params: { chatId: chat.id, clientId: `durable-${i}`, text: `message ${i} 💾` },
            }),
          );
        }
        await killed;
        expect((await first.exited).signal).toBe('SIGKILL');
        ws.terminate();

        const second = await startServerProcess({ ...database.env });
        try {
          const again = createParleyClient({ baseUrl: second.url, token });
          const stored = [];
          let before: number | undefined;
          for (;;) {
            const page = await again.messages.history(chat.id, { limit: 200, ...(before ? { before } : {}) });
            stored.unshift(...page.items);
            if (!page.hasOlder) break;
            before = page.items[0]?.seq;
          }
          expect(acked).toHaveLength(total);
          const storedIds = new Set(stored.map((m) => m.id));
          expect(acked.filter((m) => !storedIds.has(m.id))).toEqual([]);
          expect(stored.map((m) => m.seq)).toEqual(stored.map((_, i) => i + 1));
          expect(user.username).toBe('durable');
        } finally {
          second.child.kill('SIGTERM');
          await second.exited;
        }
      } finally {
        await database.drop();
      }
    });
  }
});
