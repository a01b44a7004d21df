import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../test/dialects.js';
import { startTestServer, type TestServer } from '../../test/test-server.js';

async function register(ts: TestServer, address: string, password = `pw-${randomBytes(8).toString('hex')}`) {
  const username = `su${randomBytes(6).toString('hex')}`;
  const response = await fetch(`${ts.url}/api/v1/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': address },
    body: JSON.stringify({ username, email: `${username}@example.org`, password }),
  });
  const body = (await response.json()) as { error?: { code: string; details?: { retryAfterMs?: number } } };
  return {
    status: response.status,
    code: body.error?.code ?? 'created',
    retryAfter: response.headers.get('retry-after'),
    retryAfterMs: body.error?.details?.retryAfterMs,
  };
}

const tally = (results: Array<{ code: string }>) => {
  const counts: Record<string, number> = {};
  for (const { code } of results) counts[code] = (counts[code] ?? 0) + 1;
  return counts;
};

for (const dialect of DIALECTS) {
  describe(`sign-up limit per client address on ${dialect}`, () => {
    let ts: TestServer;
    beforeAll(async () => {
      ts = await startTestServer(dialect, { TRUST_PROXY: '1', REGISTER_IP_MAX_ACCOUNTS: '5', REGISTER_WINDOW_SECONDS: '3600' });
    });
    afterAll(() => ts.close());

    it('creates no more accounts from one address than the budget, however many sign-ups arrive at once', async () => {
      const results = await Promise.all(Array.from({ length: 30 }, () => register(ts, '198.51.100.1')));
      expect(tally(results)).toEqual({ created: 5, rate_limited: 25 });
      const refused = results.find((r) => r.code === 'rate_limited');
      expect(refused).toMatchObject({ status: 429 });
      expect(Number(refused?.retryAfter)).toBeGreaterThan(3500);
      expect(refused?.retryAfterMs).toBeGreaterThan(3_500_000);
      // Another address has its own budget.
      expect((await register(ts, '198.51.100.2')).code).toBe('created');
    });

    it('counts only accounts created: refused sign-ups (a weak password) give their slot back', async () => {
      for (let i = 0; i < 8; i += 1) expect((await register(ts, '198.51.100.3', 'password')).code).toBe('weak_password');
      const results = [];
      for (let i = 0; i < 6; i += 1) results.push((await register(ts, '198.51.100.3')).code);
      expect(results).toEqual([...Array(5).fill('created'), 'rate_limited']);
    });

    it('counts an IPv6 client by its /64', async () => {
      const results = [];
      for (let i = 1; i <= 6; i += 1) results.push((await register(ts, `2001:db8:7:7::${i}`)).code);
      expect(results).toEqual([...Array(5).fill('created'), 'rate_limited']);
    });
  });
}
