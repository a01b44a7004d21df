import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../test/dialects.js';
import { signUp, startTestServer, type TestServer } from '../../test/test-server.js';

let addressCounter = 0;
/** A client address of its own for each test, given through X-Forwarded-For (TRUST_PROXY=1). */
const newAddress = () => {
  addressCounter += 1;
  return `198.51.${Math.floor(addressCounter / 250)}.${addressCounter % 250}`;
};

async function login(ts: TestServer, address: string, loginName: string, password: string) {
  const response = await fetch(`${ts.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': address },
    body: JSON.stringify({ login: loginName, password }),
  });
  const body = (await response.json()) as { error?: { code: string } };
  return { status: response.status, code: body.error?.code ?? 'ok', retryAfter: response.headers.get('retry-after') };
}

const tally = (results: Array<{ code: string }>) => {
  const counts: Record<string, number> = {};
  for (const { code } of results) counts[code] = (counts[code] ?? 0) + 1;
  return counts;
};

for (const dialect of DIALECTS) {
  describe(`login throttling on ${dialect}`, () => {
    let ts: TestServer;
    beforeAll(async () => {
      ts = await startTestServer(dialect, {
        TRUST_PROXY: '1',
        LOGIN_ACCOUNT_IP_MAX_FAILURES: '5',
        LOGIN_ACCOUNT_MAX_FAILURES: '12',
        LOGIN_IP_MAX_FAILURES: '1000',
      });
    });
    afterAll(() => ts.close());

    it('checks the password no more often than the limit, however many guesses arrive at once', async () => {
      const { user } = await signUp(ts, 'parallel');
      const address = newAddress();
      const results = await Promise.all(Array.from({ length: 40 }, () => login(ts, address, user.username, 'wrong password')));
      expect(tally(results)).toEqual({ invalid_credentials: 5, rate_limited: 35 });
    });

    it('counts the username and the email of one account against one budget', async () => {
      const { user, password } = await signUp(ts, 'twonames');
      const address = newAddress();
      for (let i = 0; i < 3; i += 1) expect((await login(ts, address, user.username, 'wrong')).code).toBe('invalid_credentials');
      for (let i = 0; i < 2; i += 1) expect((await login(ts, address, user.email.toUpperCase(), 'wrong')).code).toBe('invalid_credentials');
      const limited = await login(ts, address, user.email, password);
      expect(limited).toMatchObject({ status: 429, code: 'rate_limited' });
      expect(Number(limited.retryAfter)).toBeGreaterThanOrEqual(1);
      expect((await login(ts, address, user.username, password)).code).toBe('rate_limited');
    });

    it('lets the owner in while a stranger who spent their guesses on the account is refused', async () => {
      const { user, password } = await signUp(ts, 'targeted');
      const stranger = newAddress();
      for (let i = 0; i < 5; i += 1) expect((await login(ts, stranger, user.username, 'guess')).code).toBe('invalid_credentials');
      expect((await login(ts, stranger, user.username, 'guess')).code).toBe('rate_limited');
      expect((await login(ts, newAddress(), user.username, password)).code).toBe('ok');
    });

    it('stops guessing from many addresses at the per-account cap, the right password included', async () => {
      const { user, password } = await signUp(ts, 'botnet');
      // 12 failures in all, from addresses that each stay under their own 5.
      for (let i = 0; i < 4; i += 1) {
        const address = newAddress();
        for (let j = 0; j < 3; j += 1) expect((await login(ts, address, user.username, 'guess')).code).toBe('invalid_credentials');
      }
      expect((await login(ts, newAddress(), user.username, password)).code).toBe('rate_limited');
    });

    it('does not count a successful login, and a success clears that address’s failures on the account', async () => {
      const { user, password } = await signUp(ts, 'forgetful');
      const address = newAddress();
      // 8 failures from one address, past its 5, but a success in between; the account's 12 still count them.
      for (let round = 0; round < 2; round += 1) {
        for (let i = 0; i < 4; i += 1) expect((await login(ts, address, user.username, 'typo')).code).toBe('invalid_credentials');
        expect((await login(ts, address, user.username, password)).code).toBe('ok');
      }
    });

    it('throttles an unknown login exactly like an account, so the answer says nothing about existence', async () => {
      const address = newAddress();
      const name = `ghost_${randomBytes(5).toString('hex')}`;
      const results = [];
      for (let i = 0; i < 6; i += 1) results.push((await login(ts, address, name, 'guess')).code);
      expect(results).toEqual([...Array(5).fill('invalid_credentials'), 'rate_limited']);
    });
  });
}
