/**
 * With REDIS_URL, the failed-login and send-rate counters live in Redis, so every server
 * process using that Redis sees the same numbers. Two servers (each with its own
 * database) share one Redis here. Skipped with a message when Redis does not answer,
 * unless PARLEY_TEST_REQUIRE_SERVICES=1.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REDIS_TEST_URL, redisAvailable } from '../../test/dialects.js';
import { expectApiError } from '../../test/expect-error.js';
import { signUp, startTestServer, type TestServer } from '../../test/test-server.js';

const available = await redisAvailable('the Redis counter tests');

describe.skipIf(!available)('counters shared through Redis', () => {
  let first: TestServer;
  let second: TestServer;
  beforeAll(async () => {
    const env = {
      REDIS_URL: REDIS_TEST_URL,
      LOGIN_ACCOUNT_MAX_FAILURES: '3',
      LOGIN_THROTTLE_WINDOW_SECONDS: '30',
      WS_SEND_BURST: '2',
      WS_SEND_RATE_PER_SECOND: '1',
    };
    first = await startTestServer('sqlite', env);
    second = await startTestServer('sqlite', env);
  });
  afterAll(async () => {
    await first?.close();
    await second?.close();
  });

  it('throttles a login on one server after failures counted on another', async () => {
    const login = `shared_${randomBytes(5).toString('hex')}`;
    for (let i = 0; i < 2; i += 1)
      await expectApiError(first.client().auth.login({ login, password: 'wrong password' }), 'invalid_credentials', 401);
    await expectApiError(second.client().auth.login({ login, password: 'wrong password' }), 'invalid_credentials', 401);
    const limited = await expectApiError(first.client().auth.login({ login, password: 'wrong password' }), 'rate_limited', 429);
    expect(limited.retryAfterSeconds).toBeGreaterThan(0);
    await expectApiError(second.client().auth.login({ login, password: 'anything' }), 'rate_limited', 429);
  });

  it('keeps each user’s send-rate counter in Redis and refuses sends over the limit', async () => {
    const a = await signUp(first, 'redissend');
    const b = await signUp(first, 'redispeer');
    const chat = await a.client.chats.openDirect(b.user.id);
    await a.client.messages.send(chat.id, { clientId: `r${randomBytes(4).toString('hex')}`, text: 'one' });
    await a.client.messages.send(chat.id, { clientId: `r${randomBytes(4).toString('hex')}`, text: 'two' });
    await expectApiError(
      a.client.messages.send(chat.id, { clientId: `r${randomBytes(4).toString('hex')}`, text: 'three' }),
      'rate_limited',
      429,
    );
    const redis = new Redis(REDIS_TEST_URL);
    try {
      const keys = await redis.keys(`parley:send:${a.user.id}`);
      // Under REDIS_KEY_PREFIX (default `parley`), so deployments sharing a Redis keep apart.
      expect(keys).toEqual([`parley:send:${a.user.id}`]);
    } finally {
      redis.disconnect();
    }
  });
});
