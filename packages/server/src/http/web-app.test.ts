import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../test/test-server.js';

/** A minimal build output with the same layout Vite produces: index.html and hashed assets/. */
function writeWebBuild(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-web-'));
  fs.mkdirSync(path.join(dir, 'assets'));
  fs.writeFileSync(
    path.join(dir, 'index.html'),
    '<!doctype html><title>Parley</title><script type="module" src="/assets/index-abc123.js"></script>',
  );
  fs.writeFileSync(path.join(dir, 'assets', 'index-abc123.js'), 'console.log("parley")');
  fs.writeFileSync(path.join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  return dir;
}

describe('serving the web app', () => {
  let ts: TestServer;
  let webDir: string;
  beforeAll(async () => {
    webDir = writeWebBuild();
    ts = await startTestServer('sqlite', { WEB_DIR: webDir });
  });
  afterAll(async () => {
    await ts.close();
    fs.rmSync(webDir, { recursive: true, force: true });
  });

  it('answers / with index.html that is never cached and carries a content security policy', async () => {
    const response = await fetch(`${ts.url}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/html');
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(await response.text()).toContain('<title>Parley</title>');
  });

  it('answers an app path such as /settings with index.html (SPA fallback), query string and all', async () => {
    for (const pathname of ['/settings', '/signin?next=%2Fsettings', '/chats/abc/details']) {
      const response = await fetch(`${ts.url}${pathname}`);
      expect(response.status, pathname).toBe(200);
      expect(response.headers.get('cache-control')).toBe('no-cache');
      expect(await response.text()).toContain('<title>Parley</title>');
    }
  });

  it('serves hashed assets with a year-long immutable cache and other files revalidated', async () => {
    const asset = await fetch(`${ts.url}/assets/index-abc123.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(await asset.text()).toBe('console.log("parley")');
    const icon = await fetch(`${ts.url}/favicon.svg`);
    expect(icon.status).toBe(200);
    expect(icon.headers.get('cache-control')).toBe('no-cache');
  });

  it('answers a missing file with 404, not with the app', async () => {
    const response = await fetch(`${ts.url}/assets/missing-000.js`);
    expect(response.status).toBe(404);
  });

  it('leaves the API alone: unknown /api paths get the JSON 404, health checks still answer', async () => {
    const unknown = await fetch(`${ts.url}/api/v1/nothing-here`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: { code: 'route_not_found' } });
    expect((await fetch(`${ts.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${ts.url}/readyz`)).status).toBe(200);
    const availability = await fetch(`${ts.url}/api/v1/users/availability?username=someone`);
    expect(await availability.json()).toEqual({ username: 'someone', available: true });
  });
});

describe('without a web build', () => {
  let ts: TestServer;
  beforeAll(async () => {
    ts = await startTestServer('sqlite', { WEB_DIR: path.join(os.tmpdir(), 'parley-no-web-build-here') });
  });
  afterAll(() => ts.close());

  it('sends visitors of / to the API docs', async () => {
    const response = await fetch(`${ts.url}/`, { redirect: 'manual' });
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('/api/docs');
  });
});
