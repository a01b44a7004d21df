/**
 * Bots and webhooks through the real server on every dialect: a bot posts over REST and
 * over its own WebSocket within its scope and is refused outside it (and where it may only
 * read); its replaced token stops at once; an incoming webhook posts as its bot until
 * revoked; an outgoing webhook reaches a receiver this test starts on 127.0.0.1, signed,
 * retried after the receiver's failure — and is refused for a loopback target on a server
 * that does not allow private targets.
 */
import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { CLOSE_CODES, type EventFrame, type Message, WEBHOOK_SIGNATURE_HEADER, WEBHOOK_TIMESTAMP_HEADER } from '@parley/protocol';
import { createParleyClient } from '@parley/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPublicAddress } from '../../net/public-address.js';
import { DIALECTS } from '../../test/dialects.js';
import { expectApiError } from '../../test/expect-error.js';
import { connectDevice, rawSocket } from '../../test/realtime-client.js';
import { signUp, startTestServer, type TestServer } from '../../test/test-server.js';

let n = 0;
const cid = () => `bw${Date.now().toString(36)}${(n++).toString(36)}`;

interface Received {
  body: string;
  timestamp: string;
  signature: string;
}

/** An HTTP receiver on 127.0.0.1 answering 500 to its first `failFirst` posts, then 200. */
async function startReceiver(failFirst: number) {
  const received: Received[] = [];
  let attempts = 0;
  const server = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => {
      body += chunk.toString();
    });
    request.on('end', () => {
      attempts += 1;
      if (attempts <= failFirst) {
        response.writeHead(500).end('not yet');
        return;
      }
      received.push({
        body,
        timestamp: String(request.headers[WEBHOOK_TIMESTAMP_HEADER]),
        signature: String(request.headers[WEBHOOK_SIGNATURE_HEADER]),
      });
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    received,
    attempts: () => attempts,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function until<T>(probe: () => T | undefined, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('the SSRF guard', () => {
  it('refuses loopback, private, link-local, CGNAT and unspecified addresses, IPv4-mapped ones too', () => {
    for (const address of [
      '127.0.0.1',
      '10.1.2.3',
      '172.20.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '::1',
      'fe80::1',
      'fd00::1',
      '::ffff:127.0.0.1',
      '::',
    ])
      expect(isPublicAddress(address), address).toBe(false);
    for (const address of ['93.184.216.34', '1.1.1.1', '2606:4700:4700::1111', '::ffff:8.8.8.8'])
      expect(isPublicAddress(address), address).toBe(true);
  });
});

for (const dialect of DIALECTS) {
  describe(`bots and webhooks on ${dialect}`, () => {
    let ts: TestServer;
    let strict: TestServer;

    beforeAll(async () => {
      [ts, strict] = await Promise.all([
        startTestServer(dialect, { WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true', JOBS_RETRY_BASE_MS: '100', JOBS_POLL_MS: '100' }),
        startTestServer(dialect),
      ]);
    });
    afterAll(async () => {
      await Promise.all([ts?.close(), strict?.close()]);
    });

    async function ownerWithBot() {
      const owner = await signUp(ts, 'botowner');
      const friend = await signUp(ts, 'friend');
      const created = await owner.client.bots.create({ username: `bot${cid()}`.slice(0, 32), displayName: 'Echo bot' });
      const bot = createParleyClient({ baseUrl: ts.url, token: created.token });
      return { owner, friend, botId: created.bot.user.id, token: created.token, bot };
    }

    it('posts over REST and its own socket within its scope, reads where it may only read, and is refused elsewhere', async () => {
      const { owner, friend, botId, token, bot } = await ownerWithBot();
      const scoped = await owner.client.chats.create({ kind: 'group', name: 'With the bot', memberIds: [friend.user.id] });
      const readOnly = await owner.client.chats.create({ kind: 'group', name: 'Bot reads here' });
      const outside = await owner.client.chats.create({ kind: 'group', name: 'No bot here' });
      await owner.client.bots.setScope(botId, scoped.id, true);
      const listed = await owner.client.bots.setScope(botId, readOnly.id, false);
      expect(listed.scopes.map((s) => [s.chatName, s.post]).sort()).toEqual([
        ['Bot reads here', false],
        ['With the bot', true],
      ]);
      expect((await bot.users.me()).bot).toBe(true);
      const members = await friend.client.chats.members(scoped.id);
      expect(members.items.find((m) => m.user.id === botId)?.user.bot).toBe(true);

      const watching = await connectDevice(ts.url, friend.token);
      const viaRest = await bot.messages.send(scoped.id, { clientId: cid(), text: 'hello from REST' });
      expect(viaRest.senderId).toBe(botId);
      const device = await connectDevice(ts.url, token);
      expect(device.hello.user).toMatchObject({ id: botId, bot: true });
      const viaSocket = (await device.rt.call('message.send', {
        chatId: scoped.id,
        clientId: cid(),
        text: 'hello from the socket',
      })) as Message;
      await watching.waitFor(
        (f: EventFrame) => f.event === 'message.created' && (f.data as { message: Message }).message.id === viaSocket.id,
      );

      await owner.client.messages.send(readOnly.id, { clientId: cid(), text: 'for the bot to read' });
      expect((await bot.messages.history(readOnly.id)).items.map((m) => m.text)).toContain('for the bot to read');
      await expectApiError(bot.messages.send(readOnly.id, { clientId: cid(), text: 'not allowed' }), 'forbidden', 403);
      await expect(device.rt.call('message.send', { chatId: readOnly.id, clientId: cid(), text: 'nor here' })).rejects.toMatchObject({
        code: 'forbidden',
      });
      await expectApiError(bot.messages.send(outside.id, { clientId: cid(), text: 'outside' }), 'chat_not_found', 404);
      await expect(device.rt.call('message.history', { chatId: outside.id })).rejects.toMatchObject({ code: 'chat_not_found' });
      await expectApiError(bot.chats.create({ kind: 'group', name: 'Bot-made' }), 'forbidden', 403);
      // Nobody but its owner brings the bot into a chat.
      await expectApiError(friend.client.chats.create({ kind: 'group', name: 'Sneaky', memberIds: [botId] }), 'forbidden', 403);

      // Out of scope: the bot leaves the chat and the chat answers it like a missing one.
      await owner.client.bots.removeScope(botId, scoped.id);
      await expectApiError(bot.messages.history(scoped.id), 'chat_not_found', 404);
      watching.close();
      device.close();
    });

    it('stops the old token at once when the owner replaces it; nobody else may touch the bot', async () => {
      const { owner, friend, botId, token } = await ownerWithBot();
      const socket = await rawSocket(ts.url);
      socket.send(JSON.stringify({ id: 'h', cmd: 'hello', params: { token } }));
      await socket.reply('h');
      await expectApiError(friend.client.bots.replaceToken(botId), 'bot_not_found', 404);
      const replaced = await owner.client.bots.replaceToken(botId);
      expect((await socket.whenClosed).code).toBe(CLOSE_CODES.sessionEnded);
      await expectApiError(createParleyClient({ baseUrl: ts.url, token }).users.me(), 'unauthenticated', 401);
      expect((await createParleyClient({ baseUrl: ts.url, token: replaced.token }).users.me()).id).toBe(botId);
      await owner.client.bots.remove(botId);
      await expectApiError(createParleyClient({ baseUrl: ts.url, token: replaced.token }).users.me(), 'unauthenticated', 401);
    });

    it('posts through an incoming webhook as its bot, until it is revoked', async () => {
      const { owner, friend, botId } = await ownerWithBot();
      const chat = await owner.client.chats.create({ kind: 'group', name: 'Alerts', memberIds: [friend.user.id] });
      const hook = await owner.client.webhooks.create(chat.id, { direction: 'incoming', name: 'CI', botId });
      expect(hook.secret).toMatch(/^\/api\/v1\/hooks\/[A-Za-z0-9_-]{40,}$/);
      const anonymous = ts.client();
      const posted = await anonymous.webhooks.post(hook.secret ?? '', { text: 'Build 42 passed ✅' });
      expect(posted).toMatchObject({ senderId: botId, text: 'Build 42 passed ✅', chatId: chat.id });
      expect((await friend.client.messages.history(chat.id)).items.map((m) => m.text)).toContain('Build 42 passed ✅');
      expect((await owner.client.webhooks.list(chat.id)).items).toEqual([
        expect.objectContaining({ id: hook.id, secret: null, revoked: false }),
      ]);
      await expectApiError(friend.client.webhooks.create(chat.id, { direction: 'incoming', name: 'x', botId }), 'bot_not_found');
      await owner.client.webhooks.revoke(chat.id, hook.id);
      await expectApiError(anonymous.webhooks.post(hook.secret ?? '', { text: 'after revoke' }), 'webhook_not_found', 404);
    });

    it('delivers new messages to an outgoing webhook, signed, retried after a failure, only on its trigger word', {
      timeout: 60_000,
    }, async () => {
      const { owner, friend, botId } = await ownerWithBot();
      const chat = await owner.client.chats.create({ kind: 'group', name: 'Deploys', memberIds: [friend.user.id] });
      const receiver = await startReceiver(1);
      try {
        const hook = await owner.client.webhooks.create(chat.id, {
          direction: 'outgoing',
          name: 'Deployer',
          botId,
          url: receiver.url,
          triggerWord: '!deploy',
        });
        const secret = hook.secret ?? '';
        await friend.client.messages.send(chat.id, { clientId: cid(), text: 'just chatting' });
        const sent = await friend.client.messages.send(chat.id, { clientId: cid(), text: '!deploy production' });
        const delivery = await until(() => receiver.received[0]);
        // One failure (500), then the retry through the jobs table got through.
        expect(receiver.attempts()).toBe(2);
        const expected = `v1=${createHmac('sha256', secret).update(`${delivery.timestamp}.${delivery.body}`).digest('hex')}`;
        expect(delivery.signature).toBe(expected);
        expect(Math.abs(Number(delivery.timestamp) - Date.now() / 1000)).toBeLessThan(60);
        expect(JSON.parse(delivery.body)).toEqual({
          event: 'message.created',
          webhookId: hook.id,
          chat: { id: chat.id, name: 'Deploys' },
          message: expect.objectContaining({
            id: sent.id,
            text: '!deploy production',
            senderId: friend.user.id,
            senderUsername: friend.user.username,
          }),
        });
        await new Promise((resolve) => setTimeout(resolve, 500));
        expect(receiver.received).toHaveLength(1);
      } finally {
        await receiver.close();
      }
    });

    it('posts each stored message to an outgoing webhook once: a retried send is not posted again, a forward into the chat is', {
      timeout: 60_000,
    }, async () => {
      const { owner, friend, botId } = await ownerWithBot();
      const chat = await owner.client.chats.create({ kind: 'group', name: 'Alerts', memberIds: [friend.user.id] });
      const elsewhere = await friend.client.chats.create({ kind: 'group', name: 'Elsewhere' });
      const receiver = await startReceiver(0);
      try {
        await owner.client.webhooks.create(chat.id, { direction: 'outgoing', name: 'Alerter', botId, url: receiver.url });
        const clientId = cid();
        const sent = await friend.client.messages.send(chat.id, { clientId, text: 'disk almost full' });
        const retried = await friend.client.messages.send(chat.id, { clientId, text: 'disk almost full' });
        expect(retried.id).toBe(sent.id);
        const source = await friend.client.messages.send(elsewhere.id, { clientId: cid(), text: 'and the backup failed' });
        const { items } = await friend.client.messages.forward(elsewhere.id, [source.id], [chat.id]);
        await until(() => (receiver.received.length >= 2 ? true : undefined));
        await new Promise((resolve) => setTimeout(resolve, 500));
        const posted = receiver.received.map((r) => (JSON.parse(r.body) as { message: { id: string } }).message.id);
        expect(posted.sort()).toEqual([sent.id, items[0]?.id].sort());
      } finally {
        await receiver.close();
      }
    });

    it('refuses an outgoing webhook to a loopback or private target when the server does not allow them', async () => {
      const owner = await signUp(strict, 'strictowner');
      const { bot } = await owner.client.bots.create({ username: `sbot${cid()}`.slice(0, 32), displayName: 'Strict bot' });
      const chat = await owner.client.chats.create({ kind: 'group', name: 'Strict' });
      for (const url of [
        'http://127.0.0.1:9/hook',
        'http://localhost:9/hook',
        'http://[::1]:9/hook',
        'http://169.254.169.254/latest',
        'http://10.0.0.1/x',
      ]) {
        const refused = await expectApiError(
          owner.client.webhooks.create(chat.id, { direction: 'outgoing', name: 'Internal', botId: bot.user.id, url }),
          'webhook_target_refused',
          400,
        );
        expect(refused.details).toMatchObject({ field: 'url' });
      }
      expect((await owner.client.webhooks.list(chat.id)).items).toEqual([]);
    });
  });
}
