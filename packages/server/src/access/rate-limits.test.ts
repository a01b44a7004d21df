/**
 * Every state-changing command spends from a per-user budget, the same over REST and the
 * socket: renames, edits, deletes, reactions, member changes, chat creation, mute… from
 * the action budget; read marks and typing from a larger one of their own. Over budget the
 * answer is rate_limited with details.retryAfterMs (HTTP 429 with Retry-After). These run
 * with the default configuration, so "a person's pace is never refused" is about the
 * defaults a deployment gets.
 */
import { randomBytes } from 'node:crypto';
import { ParleyApiError } from '@parley/sdk';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import { DIALECTS, REDIS_TEST_URL, redisAvailable } from '../test/dialects.js';
import { expectApiError } from '../test/expect-error.js';
import { connectDevice } from '../test/realtime-client.js';
import { signUp, startTestServer, type TestServer } from '../test/test-server.js';

const defaults = loadConfig({});
const cid = () => `rl${randomBytes(5).toString('hex')}`;

/**
 * Runs `count` calls one after another; returns how many succeeded, the first refusal, and
 * the most the action budget may have allowed in that time (its burst plus what refilled
 * while the calls ran: a loaded machine makes a burst last seconds).
 */
async function burst(count: number, call: (i: number) => Promise<unknown>) {
  let succeeded = 0;
  let refusal: unknown = null;
  const started = performance.now();
  for (let i = 0; i < count; i += 1) {
    try {
      await call(i);
      succeeded += 1;
    } catch (error) {
      refusal ??= error;
      if (!(error instanceof ParleyApiError) || error.code !== 'rate_limited') throw error;
    }
  }
  const seconds = (performance.now() - started) / 1000;
  const actionAllowance = defaults.ACTION_BURST + Math.ceil(seconds * defaults.ACTION_RATE_PER_SECOND);
  return { succeeded, refusal, actionAllowance };
}

for (const dialect of DIALECTS) {
  describe(`per-user rate limits on ${dialect}`, () => {
    let ts: TestServer;
    beforeAll(async () => {
      ts = await startTestServer(dialect);
    });
    afterAll(() => ts.close());

    it('refuses a burst of renames over REST with 429, Retry-After and retryAfterMs, leaving at most a budget of system messages', async () => {
      const owner = await signUp(ts, 'rlrename');
      const group = await owner.client.chats.create({ kind: 'group', name: 'Renamed' });
      const { succeeded, refusal, actionAllowance } = await burst(120, (i) => owner.client.chats.update(group.id, { name: `Name ${i}` }));
      expect(succeeded).toBeLessThanOrEqual(actionAllowance);
      expect(refusal).toMatchObject({ status: 429, code: 'rate_limited' });
      const error = refusal as ParleyApiError;
      expect(error.details?.retryAfterMs).toBeGreaterThan(0);
      expect(error.retryAfterSeconds).toBeGreaterThan(0);
      const raw = await fetch(`${ts.url}/api/v1/chats/${group.id}`, {
        method: 'PATCH',
        headers: { authorization: `Bearer ${owner.token}`, 'content-type': 'application/json' },
        body: '{"name":"One more"}',
      });
      expect(raw.status).toBe(429);
      expect(Number(raw.headers.get('retry-after'))).toBeGreaterThan(0);
      const renames = (await owner.client.messages.history(group.id, { limit: 200 })).items.filter((m) => m.system?.action === 'renamed');
      expect(renames.length).toBe(succeeded);
      // Someone else's budget is their own.
      const other = await signUp(ts, 'rlother');
      await other.client.chats.create({ kind: 'group', name: 'Unaffected' });
    });

    it('refuses a burst of reaction toggles over the socket with retryAfterMs, and REST shares the same budget', async () => {
      const a = await signUp(ts, 'rlreact');
      const b = await signUp(ts, 'rlreactb');
      const chat = await a.client.chats.openDirect(b.user.id);
      const message = await b.client.messages.send(chat.id, { clientId: cid(), text: 'react to me' });
      const device = await connectDevice(ts.url, a.token);
      const { succeeded, refusal, actionAllowance } = await burst(200, (i) =>
        device.rt.call(i % 2 === 0 ? 'reaction.add' : 'reaction.remove', { chatId: chat.id, messageId: message.id, emoji: '👍' }),
      );
      expect(succeeded).toBeLessThanOrEqual(actionAllowance);
      expect(refusal).toMatchObject({ code: 'rate_limited', details: { retryAfterMs: expect.any(Number) } });
      await expectApiError(a.client.messages.react(chat.id, message.id, '🎉'), 'rate_limited', 429);
      // Sends have their own budget: a person who reacted too fast can still write.
      await a.client.messages.send(chat.id, { clientId: cid(), text: 'still talking' });
      device.close();
    });

    it('limits every kind of change, not only sends: edits, deletes, mutes, member changes, chat creation', async () => {
      const a = await signUp(ts, 'rlkinds');
      const b = await signUp(ts, 'rlkindsb');
      const group = await a.client.chats.create({ kind: 'group', name: 'Kinds', memberIds: [b.user.id] });
      const mine = await a.client.messages.send(group.id, { clientId: cid(), text: 'v0' });
      // Spend the budget on edits, then every other kind of change is refused too.
      await burst(defaults.ACTION_BURST + 5, (i) => a.client.messages.edit(group.id, mine.id, `v${i + 1}`));
      const refusals = [
        () => a.client.messages.edit(group.id, mine.id, 'again'),
        () => a.client.messages.delete(group.id, mine.id),
        () => a.client.chats.mute(group.id, true),
        () => a.client.chats.setRole(group.id, b.user.id, 'admin'),
        () => a.client.chats.removeMember(group.id, b.user.id),
        () => a.client.chats.create({ kind: 'group', name: 'Another' }),
        () => a.client.users.updateMe({ statusText: 'busy' }),
      ];
      for (const call of refusals) await expectApiError(call(), 'rate_limited', 429);
      // Access is checked first: a chat the user is not in is still 404, not 429.
      const stranger = await signUp(ts, 'rlstranger');
      const hidden = await stranger.client.chats.create({ kind: 'group', name: 'Hidden' });
      await expectApiError(a.client.chats.update(hidden.id, { name: 'x' }), 'chat_not_found', 404);
    });

    it('never refuses a person’s pace: a quick run of changes, read marks and typing all go through', async () => {
      const a = await signUp(ts, 'rlhuman');
      const b = await signUp(ts, 'rlhumanb');
      const group = await a.client.chats.create({ kind: 'group', name: 'Human', memberIds: [b.user.id] });
      const messages = [];
      for (let i = 0; i < 10; i += 1) messages.push(await b.client.messages.send(group.id, { clientId: cid(), text: `m${i}` }));
      const device = await connectDevice(ts.url, a.token);
      // A reader scrolling through and typing a reply: the web app sends a read mark at most
      // four times a second per chat and typing every three seconds, far below this.
      for (const [i, message] of messages.entries()) {
        await device.rt.call('read.mark', { chatId: group.id, seq: message.seq });
        await a.client.chats.markRead(group.id, message.seq);
        await device.rt.call('typing.start', { chatId: group.id });
        if (i % 2 === 0) await a.client.chats.typing(group.id);
      }
      // Then a flurry of reactions, an edit, a rename, a mute: a busy minute's worth at once.
      for (const message of messages) await device.rt.call('reaction.add', { chatId: group.id, messageId: message.id, emoji: '👍' });
      for (const message of messages.slice(0, 5)) await a.client.messages.unreact(group.id, message.id, '👍');
      const mine = await a.client.messages.send(group.id, { clientId: cid(), text: 'tpyo' });
      await a.client.messages.edit(group.id, mine.id, 'typo');
      await a.client.chats.update(group.id, { name: 'Human beings' });
      await a.client.chats.mute(group.id, true);
      await a.client.chats.mute(group.id, false);
      await a.client.users.updateMe({ statusText: 'here' });
      device.close();
    });
  });
}

const redisAnswers = await redisAvailable('the Redis rate-limit test');

describe.skipIf(!redisAnswers)('per-user rate limits in Redis', () => {
  let ts: TestServer;
  beforeAll(async () => {
    ts = await startTestServer('sqlite', { REDIS_URL: REDIS_TEST_URL, ACTION_BURST: '3', ACTION_RATE_PER_SECOND: '1' });
  });
  afterAll(() => ts?.close());

  it('counts actions in Redis, so every instance on that Redis shares one budget per user', async () => {
    const a = await signUp(ts, 'rlredis');
    const group = await a.client.chats.create({ kind: 'group', name: 'Redis' });
    await a.client.chats.update(group.id, { name: 'r1' });
    await a.client.chats.update(group.id, { name: 'r2' });
    await expectApiError(a.client.chats.update(group.id, { name: 'r3' }), 'rate_limited', 429);
    const redis = new Redis(REDIS_TEST_URL);
    try {
      expect(await redis.keys(`parley:action:${a.user.id}`)).toEqual([`parley:action:${a.user.id}`]);
    } finally {
      redis.disconnect();
    }
  });
});
