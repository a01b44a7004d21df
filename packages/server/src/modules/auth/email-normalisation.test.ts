import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../test/dialects.js';
import { expectApiError } from '../../test/expect-error.js';
import { startTestServer, type TestServer } from '../../test/test-server.js';
import { usersRepo } from '../users/users.repo.js';

const PRECOMPOSED = '\u00e9'; // é
const DECOMPOSED = 'e\u0301'; // e + combining acute accent

for (const dialect of DIALECTS) {
  describe(`email addresses are normalised on ${dialect}`, () => {
    let ts: TestServer;
    beforeAll(async () => {
      ts = await startTestServer(dialect);
    });
    afterAll(() => ts.close());

    const tag = () => randomBytes(4).toString('hex');

    it('treats café@ with a precomposed é and with e + combining accent as one address', async () => {
      const t = tag();
      const registered = await ts.client().auth.register({
        email: `Caf${DECOMPOSED}.${t}@Example.ORG`,
        username: `cafe_${t}`,
        password: 'a long enough secret',
      });
      expect(registered.user.email).toBe(`caf${PRECOMPOSED}.${t}@example.org`);
      await expectApiError(
        ts
          .client()
          .auth.register({ email: `caf${PRECOMPOSED}.${t}@example.org`, username: `cafe2_${t}`, password: 'a long enough secret' }),
        'email_taken',
        409,
      );
      for (const spelling of [`caf${PRECOMPOSED}.${t}@example.org`, `CAF${DECOMPOSED.toUpperCase()}.${t}@EXAMPLE.org`]) {
        const login = await ts.client().auth.login({ login: spelling, password: 'a long enough secret' });
        expect(login.user.id, spelling).toBe(registered.user.id);
      }
    });

    it('still finds an address stored decomposed before normalisation, at login and at sign-up', async () => {
      const t = tag();
      const registered = await ts
        .client()
        .auth.register({ email: `old.${t}@example.org`, username: `old_${t}`, password: 'a long enough secret' });
      // As an older server stored what was typed: lowercased, in whatever form it came.
      await usersRepo(ts.server.storage.db).update(registered.user.id, { email: `ren${DECOMPOSED}e.${t}@example.org` });
      const login = await ts.client().auth.login({ login: `ren${PRECOMPOSED}e.${t}@example.org`, password: 'a long enough secret' });
      expect(login.user.id).toBe(registered.user.id);
      await expectApiError(
        ts.client().auth.register({ email: `REN${PRECOMPOSED}E.${t}@example.org`, username: `new_${t}`, password: 'a long enough secret' }),
        'email_taken',
        409,
      );
    });
  });
}
