/**
 * Thousands of random and malformed frames, before and after hello: the server answers
 * each readable command exactly once with a result or a catalogued error, never
 * crashes, and keeps serving everyone else.
 */
import { ERROR_CODES } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../test/dialects.js';
import { rawSocket, sleep } from '../test/realtime-client.js';
import { signUp, startTestServer, type TestServer } from '../test/test-server.js';

/** Deterministic PRNG (mulberry32) so a failing frame can be reproduced. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const COMMANDS = [
  'hello',
  'ping',
  'chat.list',
  'chat.get',
  'chat.create',
  'chat.update',
  'member.add',
  'message.send',
  'message.edit',
  'message.history',
  'reaction.add',
  'read.mark',
  'typing.start',
  'nope',
  '',
  '__proto__',
  'constructor',
];

function junkValue(rand: () => number, depth = 0): unknown {
  const pick = Math.floor(rand() * 12);
  switch (pick) {
    case 0:
      return null;
    case 1:
      return rand() > 0.5;
    case 2:
      return Math.floor(rand() * 1e12) - 5e11;
    case 3:
      return rand() * 1e308 * (rand() > 0.5 ? 1 : -1);
    case 4:
      return 'x'.repeat(Math.floor(rand() * 20_000));
    case 5:
      return '\u0000\uD800\uDFFF\u202E<script>';
    case 6:
      return depth > 6 ? [] : Array.from({ length: Math.floor(rand() * 4) }, () => junkValue(rand, depth + 1));
    case 7:
      return depth > 6
        ? {}
        : Object.fromEntries(Array.from({ length: Math.floor(rand() * 4) }, (_, i) => [`k${i}`, junkValue(rand, depth + 1)]));
    case 8:
      return '01900000-0000-7000-8000-000000000000';
    case 9:
      return { __proto__: { polluted: true }, constructor: { prototype: { polluted: true } } };
    case 10:
      return String(Math.floor(rand() * 100));
    default:
      return '😀'.repeat(Math.floor(rand() * 50));
  }
}

function junkFrame(rand: () => number, i: number): string | Buffer {
  const kind = Math.floor(rand() * 10);
  if (kind === 0) return 'not json at all {';
  if (kind === 1) return Buffer.from([0xff, 0xfe, 0x00, 0xc3, 0x28]);
  if (kind === 2) return JSON.stringify(junkValue(rand));
  if (kind === 3) return `{"id":"${i}","cmd":"message.send","params":${'['.repeat(500)}${']'.repeat(500)}}`;
  const frame: Record<string, unknown> = {
    id: rand() > 0.1 ? `f${i}` : junkValue(rand),
    cmd: COMMANDS[Math.floor(rand() * COMMANDS.length)],
  };
  if (rand() > 0.2)
    frame.params =
      rand() > 0.3
        ? Object.fromEntries(
            ['chatId', 'text', 'clientId', 'messageId', 'seq', 'emoji', 'name', 'kind', 'userIds', 'token', 'cursor']
              .filter(() => rand() > 0.5)
              .map((k) => [k, junkValue(rand)]),
          )
        : junkValue(rand);
  if (rand() > 0.9) frame.extra = junkValue(rand);
  return JSON.stringify(frame);
}

for (const dialect of DIALECTS) {
  describe(`malformed frames on ${dialect}`, () => {
    let ts: TestServer;
    beforeAll(async () => {
      ts = await startTestServer(dialect, { WS_SEND_BURST: '100000', WS_SEND_RATE_PER_SECOND: '100000' });
    });
    afterAll(() => ts.close());

    it('survives 3,000 random and malformed frames, answering each readable command with a catalogued code', {
      timeout: 120_000,
    }, async () => {
      const user = await signUp(ts, 'fuzzer');
      const bystander = await signUp(ts, 'bystander');
      const chat = await user.client.chats.openDirect(bystander.user.id);
      const rand = prng(20261121);
      const known = new Set<string>(ERROR_CODES);
      for (let round = 0; round < 6; round += 1) {
        const socket = await rawSocket(ts.url);
        if (round % 2 === 1) {
          socket.send(JSON.stringify({ id: 'hello', cmd: 'hello', params: { token: user.token } }));
          await socket.reply('hello');
        }
        for (let i = 0; i < 500; i += 1) {
          if (socket.closed()) break;
          socket.send(junkFrame(rand, round * 1000 + i));
        }
        socket.send(JSON.stringify({ id: 'last', cmd: 'ping' }));
        await socket.reply('last', 20_000).catch(() => undefined);
        for (const frame of socket.frames) {
          if (frame.type === 'error')
            expect(known.has(String((frame.error as { code: string }).code)), JSON.stringify(frame).slice(0, 300)).toBe(true);
          if (frame.type === 'error') expect((frame.error as { code: string }).code).not.toBe('internal_error');
        }
        // Junk ids may repeat by chance; the generator's own ids (f<n>) are unique.
        const ids = socket.frames
          .filter((f) => /^f\d+$/.test(String(f.id)) && (f.type === 'result' || f.type === 'error'))
          .map((f) => f.id);
        expect(new Set(ids).size, 'one reply per command id').toBe(ids.length);
        socket.ws.terminate();
      }
      await sleep(100);
      // Still serving: REST, a fresh socket, and the chat unharmed.
      expect((await fetch(`${ts.url}/healthz`)).status).toBe(200);
      const fresh = await rawSocket(ts.url);
      fresh.send(JSON.stringify({ id: 'h', cmd: 'hello', params: { token: bystander.token } }));
      expect(await fresh.reply('h')).toMatchObject({ type: 'result' });
      fresh.send(JSON.stringify({ id: 's', cmd: 'message.send', params: { chatId: chat.id, clientId: 'after-fuzz', text: 'still here' } }));
      expect(await fresh.reply('s')).toMatchObject({ type: 'result', result: { text: 'still here' } });
      fresh.ws.close();
    });

    it('closes a socket that sends a frame over 64 KiB with 1009, and answers named errors for wrong fields', async () => {
      const user = await signUp(ts, 'bigframe');
      const socket = await rawSocket(ts.url);
      socket.send(JSON.stringify({ id: 'h', cmd: 'hello', params: { token: user.token } }));
      await socket.reply('h');
      socket.send(JSON.stringify({ id: 'u', cmd: 'does.not.exist' }));
      expect(await socket.reply('u')).toMatchObject({ error: { code: 'unknown_command' } });
      socket.send(JSON.stringify({ id: 'v', cmd: 'message.send', params: { chatId: 'x', clientId: 'y', text: 42 } }));
      expect(await socket.reply('v')).toMatchObject({
        error: { code: 'validation_failed', details: { location: 'params', field: 'text' } },
      });
      socket.send(JSON.stringify({ id: 'w', cmd: 'ping', params: {}, extra: 1 }));
      expect(await socket.reply('w')).toMatchObject({ error: { code: 'bad_frame', details: { field: 'extra' } } });
      socket.send(JSON.stringify({ id: 'x', cmd: 'hello', params: { token: user.token } }));
      expect(await socket.reply('x')).toMatchObject({ error: { code: 'already_authenticated' } });
      socket.send('x'.repeat(70 * 1024));
      expect((await socket.whenClosed).code).toBe(1009);
    });
  });
}
