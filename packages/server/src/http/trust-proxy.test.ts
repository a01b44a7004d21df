import { randomBytes } from 'node:crypto';
import { createParleyClient } from '@parley/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../test/dialects.js';
import { signUp, startTestServer, type TestServer } from '../test/test-server.js';

/** Logs in over plain fetch with a forwarded-for header; returns the status and, on success, the session's recorded address. */
async function loginFrom(ts: TestServer, forwardedFor: string, login: string, password: string) {
  const response = await fetch(`${ts.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor },
    body: JSON.stringify({ login, password }),
  });
  if (response.status !== 200) return { status: response.status, ip: null };
  const { token } = (await response.json()) as { token: string };
  const sessions = await createParleyClient({ baseUrl: ts.url, token }).auth.sessions();
  return { status: 200, ip: sessions.items.find((s) => s.current)?.ip ?? null };
}

const stranger = () => `nobody_${randomBytes(5).toString('hex')}`;

for (const dialect of DIALECTS) {
  describe(`trusted proxies on ${dialect}`, () => {
    const servers: TestServer[] = [];
    const start = async (env: Record<string, string>) => {
      const ts = await startTestServer(dialect, { LOGIN_IP_MAX_FAILURES: '5', ...env });
      servers.push(ts);
      return ts;
    };
    let oneHop: TestServer;
    beforeAll(async () => {
      oneHop = await start({ TRUST_PROXY: '1' });
    });
    afterAll(() => Promise.all(servers.map((ts) => ts.close())));

    it('with TRUST_PROXY=1 takes the address the proxy appended, not what the client wrote before it', async () => {
      const { user, password } = await signUp(oneHop, 'proxied');
      expect(await loginFrom(oneHop, '6.6.6.6, 198.51.100.8', user.username, password)).toEqual({ status: 200, ip: '198.51.100.8' });
    });

    it('throttles one client by its real address however it forges the start of X-Forwarded-For', async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 7; i += 1) {
        statuses.push((await loginFrom(oneHop, `6.6.${i}.${i}, 198.51.100.20`, stranger(), 'wrong password')).status);
      }
      expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429]);
      // Another client behind the same proxy is not affected.
      expect((await loginFrom(oneHop, '198.51.100.21', stranger(), 'wrong password')).status).toBe(401);
    });

    it('keeps TRUST_PROXY=true as one hop, so an appending proxy cannot be fooled either', async () => {
      const ts = await start({ TRUST_PROXY: 'true' });
      const { user, password } = await signUp(ts, 'legacytrue');
      expect(await loginFrom(ts, '6.6.6.6, 198.51.100.30', user.username, password)).toEqual({ status: 200, ip: '198.51.100.30' });
    });

    it('with a list of proxy addresses walks back over those proxies only', async () => {
      const ts = await start({ TRUST_PROXY: '127.0.0.1, 10.0.0.0/8' });
      const { user, password } = await signUp(ts, 'listed');
      // 10.0.0.5 is a listed inner proxy; 198.51.100.40 is the first address nobody trusted vouches for.
      expect(await loginFrom(ts, '6.6.6.6, 198.51.100.40, 10.0.0.5', user.username, password)).toEqual({
        status: 200,
        ip: '198.51.100.40',
      });
    });

    it('ignores X-Forwarded-For from a peer that is not a listed proxy', async () => {
      const ts = await start({ TRUST_PROXY: '10.0.0.0/8' });
      const { user, password } = await signUp(ts, 'unlisted');
      expect(await loginFrom(ts, '198.51.100.50', user.username, password)).toEqual({ status: 200, ip: '127.0.0.1' });
    });
  });
}
