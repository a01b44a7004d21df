/**
 * The sender a fresh message presents comes from a cache (sender-cache.ts), so a profile
 * change must reach it: the first message after a rename shows the new name — on the
 * instance where the rename happened and, over the Redis bus, on another instance that
 * had the old name cached.
 */
import { randomBytes } from 'node:crypto';
import { createParleyClient } from '@parley/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, REDIS_TEST_URL } from '../../test/dialects.js';
import { type SecondInstance, signUp, startSecondInstance, startTestServer, type TestServer } from '../../test/test-server.js';

let counter = 0;
const cid = () => `sc${Date.now().toString(36)}${(counter++).toString(36)}`;

for (const dialect of DIALECTS) {
  describe(`the sender of a fresh message on ${dialect}`, () => {
    let ts: TestServer;
    beforeAll(async () => {
      ts = await startTestServer(dialect);
    });
    afterAll(() => ts.close());

    it('shows the new display name in the first message after a rename, live and in the reply', async () => {
      const ann = await signUp(ts, 'scann');
      const bob = await signUp(ts, 'scbob');
      const direct = await ann.client.chats.openDirect(bob.user.id);
      const first = await ann.client.messages.send(direct.id, { clientId: cid(), text: 'as before' });
      expect(first.sender?.displayName).toBe(ann.user.displayName);
      await ann.client.users.updateMe({ displayName: 'Ann Renamed' });
      const second = await ann.client.messages.send(direct.id, { clientId: cid(), text: 'renamed' });
      expect(second.sender).toMatchObject({ id: ann.user.id, displayName: 'Ann Renamed' });
      const history = (await bob.client.messages.history(direct.id)).items;
      expect(history.map((m) => m.sender?.displayName)).toEqual(['Ann Renamed', 'Ann Renamed']);
    });
  });
}

describe.skipIf(!DIALECTS.includes('postgres'))('the sender of a fresh message across two instances', () => {
  let first: TestServer;
  let second: SecondInstance;
  beforeAll(async () => {
    // Both on the same database and Redis bus (a key prefix of their own), as a cluster is.
    const shared = { REDIS_URL: REDIS_TEST_URL, REDIS_KEY_PREFIX: `sc${randomBytes(4).toString('hex')}` };
    first = await startTestServer('postgres', { ...shared, INSTANCE_ID: 'first' });
    second = await startSecondInstance(first);
  }, 60_000);
  afterAll(async () => {
    await second?.close();
    await first?.close();
  });

  it('forgets the old name on the other instance when the person renames themselves on one', async () => {
    const ann = await signUp(first, 'scann');
    const bob = await signUp(first, 'scbob');
    const direct = await ann.client.chats.openDirect(bob.user.id);
    const annOnSecond = createParleyClient({ baseUrl: second.url, token: ann.token });
    // The second instance caches Ann as she is now…
    const before = await annOnSecond.messages.send(direct.id, { clientId: cid(), text: 'from the second' });
    expect(before.sender?.displayName).toBe(ann.user.displayName);
    // …she renames herself on the first…
    await ann.client.users.updateMe({ displayName: 'Ann Elsewhere' });
    // …and the second's next message of hers shows it: the bus takes a moment, but far less
    // than the 5 s after which the cache would read her again anyway (which this must not wait for).
    const deadline = Date.now() + 2_000;
    let shown: string | undefined;
    while (shown !== 'Ann Elsewhere' && Date.now() < deadline) {
      shown = (await annOnSecond.messages.send(direct.id, { clientId: cid(), text: 'after' })).sender?.displayName;
      if (shown !== 'Ann Elsewhere') await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(shown).toBe('Ann Elsewhere');
  });
});
