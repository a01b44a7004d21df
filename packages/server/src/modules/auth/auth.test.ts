import { createParleyClient, ParleyApiError } from '@parley/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../test/dialects.js';
import { signUp, startTestServer, type TestServer } from '../../test/test-server.js';

const expectApiError = async (promise: Promise<unknown>, status: number, code: string) => {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ParleyApiError);
  expect({ status: (error as ParleyApiError).status, code: (error as ParleyApiError).code }).toEqual({ status, code });
  return error as ParleyApiError;
};

for (const dialect of DIALECTS) {
  describe(`accounts and sessions on ${dialect}`, () => {
    let ts: TestServer;
    beforeAll(async () => {
      ts = await startTestServer(dialect, {
        LOGIN_ACCOUNT_MAX_FAILURES: '3',
        LOGIN_IP_MAX_FAILURES: '1000',
        LOGIN_THROTTLE_WINDOW_SECONDS: '2',
      });
    });
    afterAll(() => ts.close());

    it('walks the whole account lifecycle: register, me, login by username and email, sessions, password change, logout, delete', async () => {
      const anna = ts.client();
      const registered = await anna.auth.register({
        email: ' Anna.K@Example.ORG ',
        username: 'Anna_K',
        password: 'ünïcödé pass 🔑',
        displayName: 'Анна 🌸',
      });
      expect(registered.user).toMatchObject({ username: 'anna_k', email: 'anna.k@example.org', displayName: 'Анна 🌸' });
      expect(registered.token).toMatch(/^[A-Za-z0-9_-]{40,}$/);
      expect(await anna.users.me()).toMatchObject({ id: registered.user.id, username: 'anna_k' });

      const phone = ts.client();
      await phone.auth.login({ login: 'ANNA_K', password: 'ünïcödé pass 🔑' });
      const laptop = ts.client();
      await laptop.auth.login({ login: 'anna.k@example.org', password: 'ünïcödé pass 🔑' });

      const sessions = await anna.auth.sessions();
      expect(sessions.items).toHaveLength(3);
      expect(sessions.items.filter((s) => s.current)).toHaveLength(1);

      await anna.auth.changePassword({ oldPassword: 'ünïcödé pass 🔑', newPassword: 'a much newer secret ✨' });
      // Ended on the very next request.
      await expectApiError(phone.users.me(), 401, 'unauthenticated');
      await expectApiError(laptop.users.me(), 401, 'unauthenticated');
      expect((await anna.auth.sessions()).items).toHaveLength(1);
      await expectApiError(ts.client().auth.login({ login: 'anna_k', password: 'ünïcödé pass 🔑' }), 401, 'invalid_credentials');

      const again = ts.client();
      await again.auth.login({ login: 'anna_k', password: 'a much newer secret ✨' });
      await again.auth.logout();
      await expectApiError(createParleyClient({ baseUrl: ts.url, token: again.token ?? 'x' }).users.me(), 401, 'unauthenticated');

      await expectApiError(anna.users.deleteMe('wrong password'), 401, 'invalid_credentials');
      await anna.users.deleteMe('a much newer secret ✨');
      await expectApiError(anna.users.me(), 401, 'unauthenticated');
      await expectApiError(ts.client().auth.login({ login: 'anna_k', password: 'a much newer secret ✨' }), 401, 'invalid_credentials');
      // The name is free again; the old profile is anonymised, not gone.
      const other = await signUp(ts, 'viewer');
      const old = await other.client.users.get(registered.user.id);
      expect(old).toMatchObject({ deleted: true, displayName: 'Deleted user' });
      await ts.client().auth.register({ email: 'anna.k@example.org', username: 'anna_k', password: 'fresh start 2026!' });
    });

    it('rejects a duplicate username ignoring case, and a duplicate email after normalising', async () => {
      const { user } = await signUp(ts, 'dup');
      await expectApiError(
        ts.client().auth.register({ email: 'other@example.org', username: user.username.toUpperCase(), password: 'long enough pw 1' }),
        409,
        'username_taken',
      );
      await expectApiError(
        ts.client().auth.register({ email: ` ${user.email.toUpperCase()}`, username: 'someone_else', password: 'long enough pw 1' }),
        409,
        'email_taken',
      );
    });

    it('enforces the password policy: 8–128 characters counted as a person counts them, common passwords refused', async () => {
      const reg = (password: string, username: string) =>
        ts.client().auth.register({ email: `${username}@example.org`, username, password });
      const short = await expectApiError(reg('1234567', 'pw_short'), 400, 'validation_failed');
      expect(short.details).toMatchObject({ field: 'password', rule: 'minLength' });
      await expectApiError(reg('x'.repeat(129), 'pw_long'), 400, 'validation_failed');
      await expectApiError(reg('password1', 'pw_common'), 400, 'weak_password');
      await expectApiError(reg('pw_sameasname', 'pw_sameasname'), 400, 'weak_password');
      // 8 emoji are 8 characters (16 UTF-16 units); 128 emoji are allowed.
      await reg('🐱🐶🦊🐻🐼🐨🐯🦁', 'pw_emoji8');
      await reg(`${'🦁'.repeat(127)}🐱`, 'pw_emoji128');
    });

    it('refuses a password of one repeated character or an obvious run, at sign-up and at a password change', async () => {
      const reg = (password: string, username: string) =>
        ts.client().auth.register({ email: `${username}@example.org`, username, password });
      for (const [password, rule] of [
        ['cccccccccccc', 'repeated'],
        ['abababababab', 'repeated'],
        ['abcdefghij', 'sequence'],
        ['9876543210', 'sequence'],
        ['poiuytrewq', 'sequence'],
      ] as const) {
        const refused = await expectApiError(reg(password, `pw_${rule}_${password.length}${password[0]}`), 400, 'weak_password');
        expect(refused.details, password).toEqual({ location: 'body', field: 'password', rule });
      }
      const a = await signUp(ts, 'pwchange');
      const refused = await expectApiError(
        a.client.auth.changePassword({ oldPassword: a.password, newPassword: 'hgfedcba' }),
        400,
        'weak_password',
      );
      expect(refused.details).toMatchObject({ field: 'newPassword', rule: 'sequence' });
      await reg('abcdefgh is how it starts', 'pw_contains_run');
    });

    it('throttles failed logins per account with 429 and Retry-After, and clears after the window', async () => {
      const { user, password } = await signUp(ts, 'throttled');
      for (let i = 0; i < 3; i += 1) {
        await expectApiError(ts.client().auth.login({ login: user.username, password: 'wrong-wrong' }), 401, 'invalid_credentials');
      }
      const limited = await expectApiError(ts.client().auth.login({ login: user.username, password }), 429, 'rate_limited');
      expect(limited.retryAfterSeconds).toBeGreaterThanOrEqual(1);
      await new Promise((resolve) => setTimeout(resolve, 2100));
      await ts.client().auth.login({ login: user.username, password });
    });

    it('revokes another session, which fails on its very next request; a stranger session id is 404', async () => {
      const a = await signUp(ts, 'revoker');
      const other = ts.client();
      await other.auth.login({ login: a.user.username, password: a.password });
      const target = (await a.client.auth.sessions()).items.find((s) => !s.current);
      expect(target).toBeDefined();
      await a.client.auth.revokeSession(target?.id ?? '');
      await expectApiError(other.users.me(), 401, 'unauthenticated');
      const b = await signUp(ts, 'stranger');
      const bSession = (await b.client.auth.sessions()).items[0]?.id ?? '';
      await expectApiError(a.client.auth.revokeSession(bSession), 404, 'session_not_found');
      await b.client.users.me();
    });

    it('sets an HttpOnly SameSite=Lax session cookie and demands the CSRF header on cookie-authenticated writes', async () => {
      const a = await signUp(ts, 'cookie');
      const response = await fetch(`${ts.url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ login: a.user.username, password: a.password }),
      });
      const cookies = response.headers.getSetCookie();
      const session = cookies.find((c) => c.startsWith('parley_session='));
      const csrf = cookies.find((c) => c.startsWith('parley_csrf='));
      expect(session).toMatch(/HttpOnly/);
      expect(session).toMatch(/SameSite=Lax/);
      expect(csrf).not.toMatch(/HttpOnly/);
      const cookieHeader = [session, csrf].map((c) => c?.split(';')[0]).join('; ');
      const csrfValue = csrf?.split(';')[0]?.split('=')[1] ?? '';

      const read = await fetch(`${ts.url}/api/v1/users/me`, { headers: { cookie: cookieHeader } });
      expect(read.status).toBe(200);
      const patch = (headers: Record<string, string>) =>
        fetch(`${ts.url}/api/v1/users/me`, {
          method: 'PATCH',
          headers: { cookie: cookieHeader, 'content-type': 'application/json', ...headers },
          body: '{"bio":"hi"}',
        });
      const withoutCsrf = await patch({});
      expect(withoutCsrf.status).toBe(403);
      expect(((await withoutCsrf.json()) as { error: { code: string } }).error.code).toBe('csrf_failed');
      expect((await patch({ 'x-csrf-token': 'forged' })).status).toBe(403);
      expect((await patch({ 'x-csrf-token': csrfValue })).status).toBe(200);
    });
  });
}
