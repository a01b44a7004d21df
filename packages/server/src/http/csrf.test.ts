import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../test/dialects.js';
import { rawSocket } from '../test/realtime-client.js';
import { signUp, startTestServer, type TestServer } from '../test/test-server.js';

/** Logs in over fetch; returns the cookies the server set, by name. */
async function browserLogin(ts: TestServer, login: string, password: string) {
  const response = await fetch(`${ts.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login, password }),
  });
  expect(response.status).toBe(200);
  const cookies: Record<string, { value: string; attributes: string }> = {};
  for (const line of response.headers.getSetCookie()) {
    const [pair = '', ...attributes] = line.split(';');
    const separator = pair.indexOf('=');
    const value = pair.slice(separator + 1);
    if (value) cookies[pair.slice(0, separator)] = { value, attributes: attributes.join(';') };
  }
  return cookies;
}

const patchBio = (ts: TestServer, cookie: string, csrf: string | null) =>
  fetch(`${ts.url}/api/v1/users/me`, {
    method: 'PATCH',
    headers: { cookie, 'content-type': 'application/json', ...(csrf !== null && { 'x-csrf-token': csrf }) },
    body: '{"bio":"hello"}',
  });

for (const dialect of DIALECTS) {
  describe(`CSRF tokens bound to the session on ${dialect}`, () => {
    let ts: TestServer;
    beforeAll(async () => {
      ts = await startTestServer(dialect);
    });
    afterAll(() => ts.close());

    it('refuses a matching cookie and header that are not the session’s own token (a planted CSRF cookie)', async () => {
      const a = await signUp(ts, 'planted');
      const cookies = await browserLogin(ts, a.user.username, a.password);
      const session = `parley_session=${cookies.parley_session?.value}`;
      const planted = await patchBio(ts, `${session}; parley_csrf=planted-by-a-sibling-site`, 'planted-by-a-sibling-site');
      expect(planted.status).toBe(403);
      expect(((await planted.json()) as { error: { code: string } }).error.code).toBe('csrf_failed');
      expect((await patchBio(ts, `${session}; parley_csrf=${cookies.parley_csrf?.value}`, cookies.parley_csrf?.value ?? '')).status).toBe(
        200,
      );
    });

    it('refuses the CSRF token of another session, even of the same user', async () => {
      const a = await signUp(ts, 'twosessions');
      const first = await browserLogin(ts, a.user.username, a.password);
      const second = await browserLogin(ts, a.user.username, a.password);
      expect(first.parley_csrf?.value).not.toBe(second.parley_csrf?.value);
      const response = await patchBio(
        ts,
        `parley_session=${first.parley_session?.value}; parley_csrf=${second.parley_csrf?.value}`,
        second.parley_csrf?.value ?? '',
      );
      expect(response.status).toBe(403);
    });

    it('gives a session whose CSRF cookie is stale or missing its own token on the next request', async () => {
      const a = await signUp(ts, 'stale');
      const cookies = await browserLogin(ts, a.user.username, a.password);
      const session = `parley_session=${cookies.parley_session?.value}`;
      const read = await fetch(`${ts.url}/api/v1/users/me`, { headers: { cookie: `${session}; parley_csrf=random-from-an-old-server` } });
      expect(read.status).toBe(200);
      const repaired = read.headers
        .getSetCookie()
        .find((c) => c.startsWith('parley_csrf='))
        ?.split(';')[0]
        ?.slice('parley_csrf='.length);
      expect(repaired).toBe(cookies.parley_csrf?.value);
      expect((await patchBio(ts, `${session}; parley_csrf=${repaired}`, repaired ?? '')).status).toBe(200);
    });
  });

  describe(`__Host- cookies on an https server (${dialect})`, () => {
    let ts: TestServer;
    beforeAll(async () => {
      ts = await startTestServer(dialect, { PUBLIC_URL: 'https://chat.example.org' });
    });
    afterAll(() => ts.close());

    it('names the session and CSRF cookies __Host-…, Secure, Path=/ and without Domain, and reads only those', async () => {
      const a = await signUp(ts, 'hostprefix');
      const cookies = await browserLogin(ts, a.user.username, a.password);
      const session = cookies['__Host-parley_session'];
      const csrf = cookies['__Host-parley_csrf'];
      for (const cookie of [session, csrf]) {
        expect(cookie?.attributes).toMatch(/Secure/);
        expect(cookie?.attributes).toMatch(/Path=\//);
        expect(cookie?.attributes).not.toMatch(/Domain/i);
      }
      expect(session?.attributes).toMatch(/HttpOnly/);
      expect(cookies.parley_session).toBeUndefined();

      const me = (cookie: string) => fetch(`${ts.url}/api/v1/users/me`, { headers: { cookie } });
      expect((await me(`__Host-parley_session=${session?.value}`)).status).toBe(200);
      // The unprefixed name is what a sibling host or a plain-http response could plant.
      expect((await me(`parley_session=${session?.value}`)).status).toBe(401);
      const cookieHeader = `__Host-parley_session=${session?.value}; __Host-parley_csrf=${csrf?.value}`;
      expect((await patchBio(ts, cookieHeader, csrf?.value ?? '')).status).toBe(200);
    });

    it('authenticates a WebSocket by the __Host- session cookie from the PUBLIC_URL origin', async () => {
      const a = await signUp(ts, 'hostws');
      const cookies = await browserLogin(ts, a.user.username, a.password);
      const cookie = `__Host-parley_session=${cookies['__Host-parley_session']?.value}`;
      const socket = await rawSocket(ts.url, { cookie, origin: 'https://chat.example.org' });
      socket.send(JSON.stringify({ id: 'h', cmd: 'hello' }));
      expect(await socket.reply('h')).toMatchObject({ type: 'result', result: { user: { id: a.user.id } } });
      socket.ws.close();
    });
  });

  describe(`the WebSocket Origin check compares whole origins on ${dialect}`, () => {
    let direct: TestServer;
    let proxied: TestServer;
    beforeAll(async () => {
      [direct, proxied] = await Promise.all([startTestServer(dialect), startTestServer(dialect, { TRUST_PROXY: '1' })]);
    });
    afterAll(() => Promise.all([direct.close(), proxied.close()]));

    const cookieFor = async (ts: TestServer, name: string) => {
      const a = await signUp(ts, name);
      const cookies = await browserLogin(ts, a.user.username, a.password);
      return `parley_session=${cookies.parley_session?.value}`;
    };

    it('refuses an https:// page on the same host as an http server, or another port', async () => {
      const cookie = await cookieFor(direct, 'scheme');
      const { host, hostname } = new URL(direct.url);
      await expect(rawSocket(direct.url, { cookie, origin: `https://${host}` })).rejects.toThrow(/403/);
      await expect(rawSocket(direct.url, { cookie, origin: `http://${hostname}:1` })).rejects.toThrow(/403/);
      (await rawSocket(direct.url, { cookie, origin: `http://${host}` })).ws.close();
    });

    it('behind a trusted proxy compares with the scheme the proxy reports', async () => {
      const cookie = await cookieFor(proxied, 'proxyscheme');
      const { host } = new URL(proxied.url);
      const viaTls = { cookie, 'x-forwarded-proto': 'https' };
      (await rawSocket(proxied.url, { ...viaTls, origin: `https://${host}` })).ws.close();
      await expect(rawSocket(proxied.url, { ...viaTls, origin: `http://${host}` })).rejects.toThrow(/403/);
    });
  });
}
