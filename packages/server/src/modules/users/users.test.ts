import { ParleyApiError } from '@parley/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../test/dialects.js';
import { signUp, startTestServer, type TestServer } from '../../test/test-server.js';

for (const dialect of DIALECTS) {
  describe(`profiles and people search on ${dialect}`, () => {
    let ts: TestServer;
    beforeAll(async () => {
      ts = await startTestServer(dialect);
    });
    afterAll(() => ts.close());

    it('updates own display name, status line and bio with any Unicode, and others see the public profile without email', async () => {
      const a = await signUp(ts, 'profile');
      const b = await signUp(ts, 'looker');
      const me = await a.client.users.updateMe({ displayName: '李小龍 🐉', statusText: 'في العمل', bio: 'multi\nline 👩‍💻' });
      expect(me).toMatchObject({ displayName: '李小龍 🐉', statusText: 'في العمل', bio: 'multi\nline 👩‍💻' });
      const seen = await b.client.users.get(a.user.id);
      expect(seen).toMatchObject({ displayName: '李小龍 🐉', statusText: 'في العمل', username: a.user.username });
      expect(seen).not.toHaveProperty('email');
    });

    it('answers 404 user_not_found for an unknown id', async () => {
      const a = await signUp(ts, 'finder');
      const error = await a.client.users.get('01900000-0000-7000-8000-000000000000').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ParleyApiError);
      expect((error as ParleyApiError).code).toBe('user_not_found');
    });

    it('finds people by username or display-name prefix ignoring case, pages with a cursor, and matches exact email', async () => {
      const me = await signUp(ts, 'searcher');
      const tag = `zq${Date.now().toString(36)}`;
      const made = [];
      for (let i = 0; i < 5; i += 1) {
        const c = ts.client();
        made.push(
          await c.auth.register({
            email: `${tag}${i}@example.org`,
            username: `${tag}_${i}`,
            password: 'searchable pw 1',
            displayName: `Ünïque${tag} ${i}`,
          }),
        );
      }
      const first = await me.client.users.search(tag.toUpperCase(), { limit: 2 });
      expect(first.items.map((u) => u.username)).toEqual([`${tag}_0`, `${tag}_1`]);
      expect(first.nextCursor).not.toBeNull();
      const second = await me.client.users.search(tag, { limit: 2, cursor: first.nextCursor ?? '' });
      const third = await me.client.users.search(tag, { limit: 2, cursor: second.nextCursor ?? '' });
      expect([...second.items, ...third.items].map((u) => u.username)).toEqual([`${tag}_2`, `${tag}_3`, `${tag}_4`]);
      expect(third.nextCursor).toBeNull();

      const byDisplayName = await me.client.users.search(`ünïque${tag}`);
      expect(byDisplayName.items).toHaveLength(5);
      const byEmail = await me.client.users.search(`${tag}3@example.org`);
      expect(byEmail.items.map((u) => u.id)).toEqual([made[3]?.user.id]);
      // LIKE wildcards in the query are literal: `_` matches an underscore, `%` nothing else.
      expect((await me.client.users.search(`${tag}_3`)).items.map((u) => u.username)).toEqual([`${tag}_3`]);
      expect((await me.client.users.search(`${tag.slice(0, -1)}_`)).items).toEqual([]);
      expect((await me.client.users.search('%')).items).toEqual([]);
    });

    it('tells the sign-up form whether a username is free, ignoring case', async () => {
      const a = await signUp(ts, 'avail');
      expect(await ts.client().users.usernameAvailability(a.user.username.toUpperCase())).toEqual({
        username: a.user.username,
        available: false,
      });
      expect((await ts.client().users.usernameAvailability('nobody_has_this')).available).toBe(true);
    });
  });
}
