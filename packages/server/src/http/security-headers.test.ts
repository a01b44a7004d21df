import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../test/dialects.js';
import { signUp, startTestServer, type TestServer } from '../test/test-server.js';

for (const dialect of DIALECTS) {
  describe(`security headers on ${dialect}`, () => {
    let https: TestServer;
    let plain: TestServer;
    beforeAll(async () => {
      [https, plain] = await Promise.all([
        startTestServer(dialect, { PUBLIC_URL: 'https://chat.example.org' }),
        startTestServer(dialect, { PUBLIC_URL: 'http://chat.example.org' }),
      ]);
    });
    afterAll(() => Promise.all([https.close(), plain.close()]));

    it('sends HSTS on every response when PUBLIC_URL is https, and never on plain http', async () => {
      for (const path of ['/healthz', '/api/v1/users/me', '/api/docs', '/nowhere']) {
        expect((await fetch(`${https.url}${path}`)).headers.get('strict-transport-security'), path).toBe('max-age=31536000');
        expect((await fetch(`${plain.url}${path}`)).headers.get('strict-transport-security'), path).toBeNull();
      }
    });

    it('gives /api/docs the same content security policy, frame and referrer headers as the web app', async () => {
      for (const path of ['/api/docs', '/api/docs/']) {
        const response = await fetch(`${plain.url}${path}`);
        expect(response.status, path).toBe(200);
        const csp = response.headers.get('content-security-policy') ?? '';
        expect(csp, path).toContain("default-src 'self'");
        expect(csp, path).toContain("script-src 'self'");
        expect(csp, path).toContain("frame-ancestors 'none'");
        expect(response.headers.get('x-frame-options'), path).toBe('DENY');
        expect(response.headers.get('referrer-policy'), path).toBe('same-origin');
      }
    });

    it('marks every /api/v1 response no-store, successes and errors alike', async () => {
      const a = await signUp(plain, 'nostore');
      const me = await fetch(`${plain.url}/api/v1/users/me`, { headers: { authorization: `Bearer ${a.token}` } });
      expect(me.status).toBe(200);
      expect(me.headers.get('cache-control')).toBe('no-store');
      const sessions = await fetch(`${plain.url}/api/v1/auth/sessions`, { headers: { authorization: `Bearer ${a.token}` } });
      expect(sessions.headers.get('cache-control')).toBe('no-store');
      const login = await fetch(`${plain.url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ login: a.user.username, password: a.password }),
      });
      expect(login.headers.get('cache-control')).toBe('no-store');
      expect((await fetch(`${plain.url}/api/v1/users/me`)).headers.get('cache-control')).toBe('no-store');
      expect((await fetch(`${plain.url}/api/v1/no-such-route`)).headers.get('cache-control')).toBe('no-store');
    });
  });
}
