/**
 * Email verification and password reset against a real SMTP server started here,
 * reading the mails that actually arrived (mailparser), on every dialect.
 */
import { CLOSE_CODES } from '@parley/protocol';
import { createParleyClient } from '@parley/sdk';
import type { ParsedMail } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { DIALECTS } from '../../test/dialects.js';
import { expectApiError } from '../../test/expect-error.js';
import { rawSocket, sleep } from '../../test/realtime-client.js';
import { useMailServer } from '../../test/smtp-sink.js';
import { signUp } from '../../test/test-server.js';
import { MAX_CODE_ATTEMPTS } from './account-email.service.js';

const tokenIn = (mail: ParsedMail, path: string) => {
  const match = new RegExp(`${path}\\?token=([A-Za-z0-9_-]+)`).exec(mail.text ?? '');
  if (!match?.[1]) throw new Error(`no ${path} link in: ${mail.text}`);
  // The HTML part carries the same link.
  expect(String(mail.html)).toContain(`${path}?token=${match[1]}`);
  return match[1];
};
const codeIn = (mail: ParsedMail) => {
  const match = /(\d{4} \d{4})/.exec(mail.text ?? '');
  if (!match?.[1]) throw new Error(`no code in: ${mail.text}`);
  return match[1];
};

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

/** Expires every unused token of this purpose the person has (as if their time had passed). */
const expireTokens = (srv: ReturnType<typeof useMailServer>, userId: string, purpose: 'verify' | 'reset') =>
  srv.ts.server.storage.db
    .updateTable('email_tokens')
    .set({ expires_at: 1 })
    .where('user_id', '=', userId)
    .where('purpose', '=', purpose)
    .execute();

for (const dialect of DIALECTS) {
  describe(`email verification and password reset on ${dialect}`, () => {
    const srv = useMailServer(dialect, { PASSWORD_RESET_ADDRESS_MAX: '3', PASSWORD_RESET_IP_MAX: '1000' });

    it('says mail is configured, and sends a single-use verification link in the browser’s language', async () => {
      expect(await srv.ts.client().notifications.serverInfo()).toMatchObject({ mail: true, requireEmailVerification: false });
      const russian = createParleyClient({ baseUrl: srv.ts.url, headers: { 'accept-language': 'ru-RU,ru;q=0.9,en;q=0.5' } });
      const { user } = await russian.auth.register({
        email: 'olga@example.org',
        username: 'olga',
        password: 'a long enough secret',
        displayName: 'Ольга',
      });
      expect(user.emailVerified).toBe(false);
      const mail = await srv.smtp.next('olga@example.org');
      expect(mail.subject).toBe('Подтвердите адрес электронной почты в Parley');
      expect(mail.text).toContain('Здравствуйте, Ольга!');
      expect(mail.html).toContain('lang="ru"');
      const token = tokenIn(mail, '/verify-email');

      await srv.ts.client().notifications.verifyEmail(token);
      expect((await russian.users.me()).emailVerified).toBe(true);
      await expectApiError(srv.ts.client().notifications.verifyEmail(token), 'invalid_token', 400);
      // Verified: resending sends nothing.
      await russian.notifications.resendVerification();
      await srv.smtp.expectNone('olga@example.org', 500);
    });

    it('resends a fresh link (the old one stops working) and refuses an expired one', async () => {
      const { client, user } = await signUp(srv.ts, 'resend');
      const first = tokenIn(await srv.smtp.next(user.email), '/verify-email');
      await client.notifications.resendVerification();
      const second = tokenIn(await srv.smtp.next(user.email), '/verify-email');
      expect(second).not.toBe(first);
      await expectApiError(srv.ts.client().notifications.verifyEmail(first), 'invalid_token', 400);
      await srv.ts.server.storage.db.updateTable('email_tokens').set({ expires_at: 1 }).where('user_id', '=', user.id).execute();
      await expectApiError(srv.ts.client().notifications.verifyEmail(second), 'invalid_token', 400);
      expect((await client.users.me()).emailVerified).toBe(false);
    });

    it('changes the email only once the new address is confirmed', async () => {
      const { client, user, password } = await signUp(srv.ts, 'mover');
      await srv.smtp.next(user.email);
      await expectApiError(client.notifications.changeEmail({ email: 'olga@example.org', password }), 'email_taken', 409);
      await expectApiError(
        client.notifications.changeEmail({ email: 'new.mover@example.org', password: 'wrong password' }),
        'invalid_credentials',
        401,
      );
      await client.notifications.changeEmail({ email: 'New.Mover@example.org', password });
      const mail = await srv.smtp.next('new.mover@example.org');
      expect(mail.subject).toBe('Confirm your new email address for Parley');
      expect((await client.users.me()).email).toBe(user.email);
      await srv.ts.client().notifications.verifyEmail(tokenIn(mail, '/verify-email'));
      expect(await client.users.me()).toMatchObject({ email: 'new.mover@example.org', emailVerified: true });
    });

    it('resets a password by link: single use, every session ends (its live sockets closed too), an expired link fails', async () => {
      const { client, user, password } = await signUp(srv.ts, 'forgetful');
      await srv.smtp.next(user.email);
      const phone = srv.ts.client();
      const phoneLogin = await phone.auth.login({ login: user.username, password });
      const socket = await rawSocket(srv.ts.url);
      socket.send(JSON.stringify({ id: 'h', cmd: 'hello', params: { token: phoneLogin.token } }));
      expect(await socket.reply('h')).toMatchObject({ type: 'result' });
      await srv.ts.client().notifications.requestPasswordReset({ email: user.email.toUpperCase() });
      const mail = await srv.smtp.next(user.email);
      expect(mail.subject).toBe('Reset your Parley password');
      expect(mail.html).toMatch(/<html lang="en">/);
      const token = tokenIn(mail, '/reset-password');

      await expectApiError(srv.ts.client().notifications.confirmPasswordReset({ token, password: 'aaaaaaaa' }), 'weak_password', 400);
      await srv.ts.client().notifications.confirmPasswordReset({ token, password: 'my brand new secret' });
      await expectApiError(client.users.me(), 'unauthenticated', 401);
      await expectApiError(phone.users.me(), 'unauthenticated', 401);
      expect((await socket.whenClosed).code).toBe(CLOSE_CODES.sessionEnded);
      await expectApiError(
        srv.ts.client().notifications.confirmPasswordReset({ token, password: 'another new secret' }),
        'invalid_token',
        400,
      );
      const again = srv.ts.client();
      await again.auth.login({ login: user.username, password: 'my brand new secret' });
      // Following the emailed link proved the address.
      expect((await again.users.me()).emailVerified).toBe(true);

      // A link past its expiry (PASSWORD_RESET_TTL_MINUTES) changes nothing.
      await srv.ts.client().notifications.requestPasswordReset({ email: user.email });
      const late = tokenIn(await srv.smtp.next(user.email), '/reset-password');
      await expireTokens(srv, user.id, 'reset');
      await expectApiError(
        srv.ts.client().notifications.confirmPasswordReset({ token: late, password: 'too late a secret' }),
        'invalid_token',
        400,
      );
      await srv.ts.client().auth.login({ login: user.username, password: 'my brand new secret' });
    });

    it('resets by the short code; wrong codes count, and enough of them end it; an expired code fails', async () => {
      const { user } = await signUp(srv.ts, 'coder');
      await srv.smtp.next(user.email);
      await srv.ts.client().notifications.requestPasswordReset({ email: user.email });
      const code = codeIn(await srv.smtp.next(user.email));
      await srv.ts
        .client()
        .notifications.confirmPasswordReset({ email: user.email, code: code.replace(' ', ''), password: 'code reset secret' });
      await srv.ts.client().auth.login({ login: user.email, password: 'code reset secret' });

      await srv.ts.client().notifications.requestPasswordReset({ email: user.email });
      const second = codeIn(await srv.smtp.next(user.email));
      const wrong = second === '0000 0000' ? '1111 1111' : '0000 0000';
      for (let i = 0; i < MAX_CODE_ATTEMPTS; i += 1) {
        await expectApiError(
          srv.ts.client().notifications.confirmPasswordReset({ email: user.email, code: wrong, password: 'guessing secret' }),
          'invalid_token',
          400,
        );
      }
      await expectApiError(
        srv.ts.client().notifications.confirmPasswordReset({ email: user.email, code: second, password: 'guessing secret' }),
        'invalid_token',
        400,
      );

      await srv.ts.client().notifications.requestPasswordReset({ email: user.email });
      const third = codeIn(await srv.smtp.next(user.email));
      await expireTokens(srv, user.id, 'reset');
      await expectApiError(
        srv.ts.client().notifications.confirmPasswordReset({ email: user.email, code: third, password: 'expired secret' }),
        'invalid_token',
        400,
      );
    });

    it('answers a reset request the same way, just as fast, whether or not the address has an account', async () => {
      const known: string[] = [];
      for (let i = 0; i < 16; i += 1) {
        const { user } = await signUp(srv.ts, 'timing');
        await srv.smtp.next(user.email);
        known.push(user.email);
      }
      const unknown = known.map((e) => `nobody.${e}`);
      const timeOf = async (email: string) => {
        const started = performance.now();
        const response = await fetch(`${srv.ts.url}/api/v1/auth/password-reset`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email }),
        });
        const elapsed = performance.now() - started;
        return { elapsed, status: response.status, body: await response.text() };
      };
      const unknownTimes: number[] = [];
      // Known minus unknown, per pair of requests sent one right after the other: a loaded
      // machine slows both of a pair alike, so the pair's difference keeps only what the
      // address itself costs (comparing two medians let a busy spell fall on one side).
      const differences: number[] = [];
      for (let i = 0; i < known.length; i += 1) {
        // Alternate which goes first, and let the mail job finish before the next request,
        // so neither kind is measured while the other's background work runs.
        const knownFirst = i % 2 === 0;
        const first = await timeOf((knownFirst ? known[i] : unknown[i]) ?? '');
        if (knownFirst) await srv.smtp.next(known[i] ?? '');
        await sleep(20);
        const second = await timeOf((knownFirst ? unknown[i] : known[i]) ?? '');
        if (!knownFirst) await srv.smtp.next(known[i] ?? '');
        await sleep(20);
        const [a, b] = knownFirst ? [first, second] : [second, first];
        expect({ status: a.status, body: a.body }).toEqual({ status: b.status, body: b.body });
        expect(a.status).toBe(202);
        unknownTimes.push(b.elapsed);
        differences.push(a.elapsed - b.elapsed);
      }
      // The request path never looks the account up, so only noise separates the two; a real leak
      // (a password hash, a mail sent in the request) would be tens of milliseconds in every pair.
      expect(Math.abs(median(differences))).toBeLessThan(Math.max(15, median(unknownTimes) / 2));
      for (const email of unknown) await srv.smtp.expectNone(email, 0);
    });

    it('limits reset requests per address, with the same answer for an address without an account', async () => {
      const { user } = await signUp(srv.ts, 'limited');
      await srv.smtp.next(user.email);
      for (const email of [user.email, 'no.such.person@example.org']) {
        for (let i = 0; i < 3; i += 1) await srv.ts.client().notifications.requestPasswordReset({ email });
        await expectApiError(srv.ts.client().notifications.requestPasswordReset({ email }), 'rate_limited', 429);
      }
    });
  });
}

for (const dialect of DIALECTS) {
  describe(`REQUIRE_EMAIL_VERIFICATION on ${dialect}`, () => {
    const srv = useMailServer(dialect, { REQUIRE_EMAIL_VERIFICATION: 'true', PASSWORD_RESET_IP_MAX: '3' });

    it('creates the account but signs in only once the email is verified', async () => {
      expect(await srv.ts.client().notifications.serverInfo()).toMatchObject({ mail: true, requireEmailVerification: true });
      const body = { email: 'gated@example.org', username: 'gated', password: 'gated but patient' };
      await expectApiError(srv.ts.client().auth.register(body), 'email_not_verified', 403);
      const first = await srv.smtp.next('gated@example.org');
      await expectApiError(srv.ts.client().auth.login({ login: 'gated', password: body.password }), 'email_not_verified', 403);
      // The wrong password says nothing about verification.
      await expectApiError(srv.ts.client().auth.login({ login: 'gated', password: 'not the password' }), 'invalid_credentials', 401);
      // Signed out, a new link can be asked for by address; an unknown address gets the same answer.
      await srv.ts.client().notifications.requestVerification({ email: 'gated@example.org' });
      await srv.ts.client().notifications.requestVerification({ email: 'nobody@example.org' });
      const second = await srv.smtp.next('gated@example.org');
      await expectApiError(srv.ts.client().notifications.verifyEmail(tokenIn(first, '/verify-email')), 'invalid_token', 400);
      await srv.ts.client().notifications.verifyEmail(tokenIn(second, '/verify-email'));
      const signedIn = srv.ts.client();
      await signedIn.auth.login({ login: 'gated', password: body.password });
      expect((await signedIn.users.me()).emailVerified).toBe(true);
      await srv.smtp.expectNone('nobody@example.org', 0);
    });

    it('limits link and code attempts per client address to five times its request budget', async () => {
      // PASSWORD_RESET_IP_MAX is 3 here, so 15 attempts; the 16th is refused before any token is looked at.
      for (let i = 0; i < 15; i += 1) {
        await expectApiError(
          srv.ts.client().notifications.confirmPasswordReset({ token: `guess-${i}`, password: 'guessing secret' }),
          'invalid_token',
          400,
        );
      }
      await expectApiError(
        srv.ts.client().notifications.confirmPasswordReset({ email: 'gated@example.org', code: '1234 5678', password: 'guessing secret' }),
        'rate_limited',
        429,
      );
    });

    it('limits reset requests per client address, whatever the addresses asked for', async () => {
      await srv.ts.client().notifications.requestPasswordReset({ email: 'someone.else@example.org' });
      await expectApiError(srv.ts.client().notifications.requestPasswordReset({ email: 'yet.another@example.org' }), 'rate_limited', 429);
    });
  });
}
