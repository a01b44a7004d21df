/**
 * Link previews (E18) through a real server, real sockets and a real page server on this
 * machine, on every dialect. The page server listens on 127.0.0.1, which this test server
 * alone allows (ServerOptions.linkPreviewNetwork — production has no such allowance), and on
 * 127.0.0.2, which stays refused like any loopback or private address: the guard must stop
 * a literal, a DNS answer (the test's own resolver, standing in for a hostile DNS server)
 * and a redirect to it, so that server must never see a request. Also: one event when the
 * preview is ready, the image served by us, the cache per URL, removal by the sender only,
 * and the admin's switch.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EventFrame, LinkPreview, MessagePreviewUpdated } from '@parley/protocol';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LookupFunction } from '../../net/public-address.js';
import { DIALECTS } from '../../test/dialects.js';
import { expectApiError } from '../../test/expect-error.js';
import { connectDevice } from '../../test/realtime-client.js';
import { signUp, startTestServer, type TestServer } from '../../test/test-server.js';
import { linkPreviewsRepo } from './link-previews.repo.js';

const NAMES: Record<string, string> = { 'pages.test': '127.0.0.1', 'inside.test': '127.0.0.2', 'mapped.test': '::ffff:127.0.0.2' };

/** The test's DNS: its own names, nothing else (no query leaves the machine). */
const testResolver: LookupFunction = (hostname, _options, callback) => {
  const address = NAMES[hostname];
  if (!address) return callback(Object.assign(new Error(`no such name ${hostname}`), { code: 'ENOTFOUND' }), '');
  callback(null, [{ address, family: address.includes(':') ? 6 : 4 }]);
};

interface PageServer {
  port: number;
  hits: { public: string[]; inside: string[] };
  close(): Promise<void>;
}

async function startPageServer(): Promise<PageServer> {
  const png = await sharp({ create: { width: 1200, height: 600, channels: 3, background: '#2a6f97' } })
    .png()
    .toBuffer();
  // Noise does not compress: well over the test server's LINK_PREVIEW_MAX_BYTES.
  const bigPng = await sharp(Buffer.from(Array.from({ length: 300 * 300 * 3 }, (_, i) => (i * 7919) % 251)), {
    raw: { width: 300, height: 300, channels: 3 },
  })
    .png({ compressionLevel: 0 })
    .toBuffer();
  const hits = { public: [] as string[], inside: [] as string[] };
  let port = 0;
  const handler = (which: 'public' | 'inside') => (req: http.IncomingMessage, res: http.ServerResponse) => {
    hits[which].push(req.url ?? '/');
    const path = (req.url ?? '/').split('?')[0];
    const html = (head: string) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(`<!doctype html><html><head>${head}</head><body><p>${'body '.repeat(2000)}</p></body></html>`);
    };
    if (path === '/article')
      return html(
        `<title>Ignored when og:title exists</title><meta property="og:title" content="The Quiet Harbour &amp; its boats">` +
          `<meta property="og:description" content="Notes from a week by the sea."><meta property="og:site_name" content="Harbour Notes">` +
          `<meta property="og:image" content="/harbour.png">`,
      );
    if (path === '/plain') return html('<title>  Just   a title </title><meta name="description" content="Plain description">');
    if (path === '/moved') {
      res.writeHead(301, { location: '/plain' });
      return res.end();
    }
    if (path === '/big-image') return html('<meta property="og:title" content="Big picture"><meta property="og:image" content="/big.png">');
    if (path === '/big.png') {
      res.writeHead(200, { 'content-type': 'image/png' });
      return res.end(bigPng);
    }
    if (path === '/long-head')
      return html(
        `<meta property="og:title" content="Worth the wait">${'<meta name="filler" content="x">'.repeat(4000)}<title>Never read</title>`,
      );
    if (path === '/slow') {
      // The head starts and never ends: the deadline stops the fetch.
      res.writeHead(200, { 'content-type': 'text/html' });
      res.write('<html><head><meta property="og:title" content="Too slow">');
      const timer = setTimeout(() => res.end('</head></html>'), 20_000);
      res.on('close', () => clearTimeout(timer));
      return;
    }
    if (path === '/harbour.png') {
      res.writeHead(200, { 'content-type': 'image/png' });
      return res.end(png);
    }
    if (path === '/to-inside-literal') {
      res.writeHead(302, { location: `http://127.0.0.2:${port}/article` });
      return res.end();
    }
    if (path === '/to-inside-name') {
      res.writeHead(302, { location: `http://inside.test:${port}/article` });
      return res.end();
    }
    res.writeHead(404).end();
  };
  const outside = http.createServer(handler('public'));
  await new Promise<void>((resolve) => outside.listen(0, '127.0.0.1', resolve));
  port = (outside.address() as AddressInfo).port;
  // The same port on another loopback address: what the guard must never let a preview reach.
  const inside = http.createServer(handler('inside'));
  await new Promise<void>((resolve) => inside.listen(port, '127.0.0.2', resolve));
  return {
    port,
    hits,
    close: () => Promise.all([outside, inside].map((s) => new Promise<void>((resolve) => s.close(() => resolve())))).then(() => undefined),
  };
}

const previewEvents = (events: EventFrame[], messageId: string) =>
  events.filter((f) => f.event === 'message.preview' && (f.data as MessagePreviewUpdated).messageId === messageId);

for (const dialect of DIALECTS) {
  describe(`link previews on ${dialect}`, () => {
    let ts: TestServer;
    let pages: PageServer;
    let admin: Awaited<ReturnType<typeof signUp>>;
    let n = 0;
    const cid = () => {
      n += 1;
      return `lp-${n}`;
    };
    const at = (path: string, host = 'pages.test') => `http://${host}:${pages.port}${path}`;

    beforeAll(async () => {
      pages = await startPageServer();
      ts = await startTestServer(
        dialect,
        { JOBS_POLL_MS: '50', LINK_PREVIEW_TIMEOUT_MS: '3000', LINK_PREVIEW_MAX_BYTES: '65536' },
        { linkPreviewNetwork: { allow: ['127.0.0.1'], resolve: testResolver } },
      );
      // The first account of a fresh server is its admin.
      admin = await signUp(ts, 'lpadmin');
    });
    afterAll(async () => {
      await ts.close();
      await pages.close();
    });

    async function pair() {
      const ann = await signUp(ts, 'lpann');
      const bob = await signUp(ts, 'lpbob');
      const group = await ann.client.chats.create({ kind: 'group', name: 'Harbour trip', memberIds: [bob.user.id] });
      return { ann, bob, group };
    }

    /** The cached outcome for a URL, once the job wrote it. */
    async function cachedOutcome(url: string) {
      for (let i = 0; i < 100; i += 1) {
        // Stored as the URL parser writes it (2130706434 is 127.0.0.2).
        const rows = await ts.server.storage.db.selectFrom('link_previews').selectAll().where('url', '=', new URL(url).href).execute();
        if (rows[0]) return rows[0];
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error(`no preview outcome for ${url}`);
    }

    it("fetches the first link's title, description and image, tells the chat in one event, and serves the image itself", async () => {
      const { ann, bob, group } = await pair();
      const bobDevice = await connectDevice(ts.url, bob.token);
      try {
        const url = at('/article');
        const sent = await ann.client.messages.send(group.id, { clientId: cid(), text: `look: ${url}, and also ${at('/plain')}` });
        expect(sent.linkPreview).toBeUndefined();
        const frame = await bobDevice.waitFor((f) => previewEvents([f], sent.id).length > 0, 10_000);
        const expected: LinkPreview = {
          url,
          siteName: 'Harbour Notes',
          title: 'The Quiet Harbour & its boats',
          description: 'Notes from a week by the sea.',
          image: { width: 640, height: 320 },
        };
        expect(frame.data).toEqual({ chatId: group.id, messageId: sent.id, preview: expected });
        // Only the first link: the second page was never asked for.
        expect(pages.hits.public).not.toContain('/plain');
        const { items } = await bob.client.messages.history(group.id);
        expect(items.find((m) => m.id === sent.id)?.linkPreview).toEqual(expected);

        // The image comes from Parley (stored, resized, WebP), to members only.
        const image = await fetch(`${ts.url}/api/v1/chats/${group.id}/messages/${sent.id}/preview/image`, {
          headers: { authorization: `Bearer ${bob.token}` },
        });
        expect(image.status).toBe(200);
        expect(image.headers.get('content-type')).toBe('image/webp');
        expect((await sharp(Buffer.from(await image.arrayBuffer())).metadata()).width).toBe(640);
        const outsider = await signUp(ts, 'lpout');
        const refused = await fetch(`${ts.url}/api/v1/chats/${group.id}/messages/${sent.id}/preview/image`, {
          headers: { authorization: `Bearer ${outsider.token}` },
        });
        expect(refused.status).toBe(404);

        // The same URL again comes from the cache: the page is not fetched a second time.
        const fetchedBefore = pages.hits.public.filter((p) => p === '/article').length;
        const again = await bob.client.messages.send(group.id, { clientId: cid(), text: url });
        await bobDevice.waitFor((f) => previewEvents([f], again.id).length > 0, 10_000);
        expect(pages.hits.public.filter((p) => p === '/article').length).toBe(fetchedBefore);
        expect(previewEvents(bobDevice.events, sent.id)).toHaveLength(1);
      } finally {
        bobDevice.close();
      }
    });

    it('follows a redirect between public addresses and falls back to <title> and the description meta', async () => {
      const { ann, bob, group } = await pair();
      const bobDevice = await connectDevice(ts.url, bob.token);
      try {
        const sent = await ann.client.messages.send(group.id, { clientId: cid(), text: at('/moved') });
        const frame = await bobDevice.waitFor((f) => previewEvents([f], sent.id).length > 0, 10_000);
        expect((frame.data as MessagePreviewUpdated).preview).toMatchObject({
          url: at('/moved'),
          title: 'Just a title',
          description: 'Plain description',
          siteName: 'pages.test',
          image: null,
        });
      } finally {
        bobDevice.close();
      }
    });

    it('refuses a loopback literal, DNS answers pointing inside (plain and IPv4-mapped) and redirects inside: that server is never reached', async () => {
      const { ann, bob, group } = await pair();
      const bobDevice = await connectDevice(ts.url, bob.token);
      try {
        const refused = [
          at('/article', '127.0.0.2'),
          at('/article', '[::1]'),
          // Other spellings of 127.0.0.2 (the URL parser writes them as the dotted address).
          at('/decimal', '2130706434'),
          at('/hex', '0x7f.0.0.2'),
          at('/article', 'inside.test'),
          at('/article', 'mapped.test'),
          at('/to-inside-literal'),
          at('/to-inside-name'),
        ];
        const sent = [];
        for (const url of refused) sent.push(await ann.client.messages.send(group.id, { clientId: cid(), text: `see ${url}` }));
        for (const url of refused) {
          const outcome = await cachedOutcome(url);
          expect({ url, status: outcome.status, error: outcome.error }).toEqual({
            url,
            status: 'failed',
            error: expect.stringMatching(/^address: .*not a public address/),
          });
        }
        // The redirecting pages were asked (they are allowed); what they pointed to never was.
        expect(pages.hits.inside).toEqual([]);
        const { items } = await bob.client.messages.history(group.id);
        for (const message of sent) {
          expect(items.find((m) => m.id === message.id)?.linkPreview).toBeUndefined();
          expect(previewEvents(bobDevice.events, message.id)).toEqual([]);
        }
      } finally {
        bobDevice.close();
      }
    });

    it('keeps to the limits: a picture over LINK_PREVIEW_MAX_BYTES is left out, a head past it is read up to the cut, a page slower than LINK_PREVIEW_TIMEOUT_MS gives none', async () => {
      const { ann, bob, group } = await pair();
      const bobDevice = await connectDevice(ts.url, bob.token);
      try {
        const big = await ann.client.messages.send(group.id, { clientId: cid(), text: at('/big-image') });
        const long = await ann.client.messages.send(group.id, { clientId: cid(), text: at('/long-head') });
        const slow = await ann.client.messages.send(group.id, { clientId: cid(), text: at('/slow') });
        const bigFrame = await bobDevice.waitFor((f) => previewEvents([f], big.id).length > 0, 10_000);
        expect((bigFrame.data as MessagePreviewUpdated).preview).toMatchObject({ title: 'Big picture', image: null });
        const longFrame = await bobDevice.waitFor((f) => previewEvents([f], long.id).length > 0, 10_000);
        expect((longFrame.data as MessagePreviewUpdated).preview).toMatchObject({ title: 'Worth the wait' });
        const started = Date.now();
        const outcome = await cachedOutcome(at('/slow'));
        expect({ status: outcome.status, error: outcome.error }).toEqual({ status: 'failed', error: expect.stringMatching(/^network: /) });
        expect(Date.now() - started).toBeLessThan(10_000);
        expect(previewEvents(bobDevice.events, slow.id)).toEqual([]);
      } finally {
        bobDevice.close();
      }
    });

    it('the sender removes the preview (REST or socket) and everyone sees it go; others may not; outsiders get 404', async () => {
      const { ann, bob, group } = await pair();
      const annDevice = await connectDevice(ts.url, ann.token);
      const bobDevice = await connectDevice(ts.url, bob.token);
      try {
        const first = await ann.client.messages.send(group.id, { clientId: cid(), text: at('/article') });
        const second = await ann.client.messages.send(group.id, { clientId: cid(), text: at('/article') });
        await bobDevice.waitFor((f) => previewEvents([f], second.id).length > 0, 10_000);
        await bobDevice.waitFor((f) => previewEvents([f], first.id).length > 0, 10_000);

        await expectApiError(bob.client.linkPreviews.remove(group.id, first.id), 'forbidden', 403);
        const outsider = await signUp(ts, 'lpstranger');
        await expectApiError(outsider.client.linkPreviews.remove(group.id, first.id), 'chat_not_found', 404);

        await ann.client.linkPreviews.remove(group.id, first.id);
        const gone = await bobDevice.waitFor(
          (f) => previewEvents([f], first.id).some((e) => (e.data as MessagePreviewUpdated).preview === null),
          5000,
        );
        expect(gone.data).toEqual({ chatId: group.id, messageId: first.id, preview: null });
        await expect(annDevice.rt.call('message.removePreview', { chatId: group.id, messageId: second.id })).resolves.toEqual({ ok: true });
        await bobDevice.waitFor((f) => previewEvents([f], second.id).some((e) => (e.data as MessagePreviewUpdated).preview === null), 5000);

        const { items } = await bob.client.messages.history(group.id);
        expect(items.filter((m) => m.linkPreview !== undefined).map((m) => m.id)).toEqual([]);
        await expectApiError(ann.client.linkPreviews.remove(group.id, first.id), 'preview_not_found', 404);
        const image = await fetch(`${ts.url}/api/v1/chats/${group.id}/messages/${first.id}/preview/image`, {
          headers: { authorization: `Bearer ${ann.token}` },
        });
        expect(image.status).toBe(404);
      } finally {
        annDevice.close();
        bobDevice.close();
      }
    });

    it('an edit that changes the first link replaces the preview (the old one goes at once); the same link changes nothing', async () => {
      const { ann, bob, group } = await pair();
      const bobDevice = await connectDevice(ts.url, bob.token);
      try {
        const sent = await ann.client.messages.send(group.id, { clientId: cid(), text: `first ${at('/article')}` });
        await bobDevice.waitFor((f) => previewEvents([f], sent.id).length === 1, 10_000);
        await ann.client.messages.edit(group.id, sent.id, `first ${at('/article')} (typo fixed)`);
        await ann.client.messages.edit(group.id, sent.id, `better: ${at('/plain')}`);
        await bobDevice.waitFor((f) => (f.data as MessagePreviewUpdated).preview?.title === 'Just a title', 10_000);
        expect(previewEvents(bobDevice.events, sent.id).map((f) => (f.data as MessagePreviewUpdated).preview?.title ?? null)).toEqual([
          'The Quiet Harbour & its boats',
          null,
          'Just a title',
        ]);
        const { items } = await bob.client.messages.history(group.id);
        expect(items.find((m) => m.id === sent.id)?.linkPreview?.url).toBe(at('/plain'));
      } finally {
        bobDevice.close();
      }
    });

    it('the daily clean-up drops expired cached previews nobody shows, with their pictures, and keeps those still shown', async () => {
      const { ann, bob, group } = await pair();
      const bobDevice = await connectDevice(ts.url, bob.token);
      try {
        const shown = await ann.client.messages.send(group.id, { clientId: cid(), text: at('/article?keep=1') });
        const removed = await ann.client.messages.send(group.id, { clientId: cid(), text: at('/article?drop=1') });
        await bobDevice.waitFor((f) => previewEvents([f], shown.id).length > 0, 10_000);
        await bobDevice.waitFor((f) => previewEvents([f], removed.id).length > 0, 10_000);
        await ann.client.linkPreviews.remove(group.id, removed.id);
        const dropped = await cachedOutcome(at('/article?drop=1'));
        expect(dropped.image_key).not.toBeNull();
        expect(await ts.server.services.fileStorage.stat(dropped.image_key as string)).not.toBeNull();

        // Long after every expiry.
        expect(await ts.server.services.linkPreviews.cleanup(Date.now() + 400 * 86_400_000)).toBeGreaterThanOrEqual(1);
        const left = await ts.server.storage.db.selectFrom('link_previews').select('url').execute();
        expect(left.map((r) => r.url)).toContain(at('/article?keep=1'));
        expect(left.map((r) => r.url)).not.toContain(at('/article?drop=1'));
        expect(await ts.server.services.fileStorage.stat(dropped.image_key as string)).toBeNull();
        const { items } = await bob.client.messages.history(group.id);
        expect(items.find((m) => m.id === shown.id)?.linkPreview?.title).toBe('The Quiet Harbour & its boats');
      } finally {
        bobDevice.close();
      }
    });

    it('an admin turns previews off: links in new messages are not fetched', async () => {
      const { ann, group } = await pair();
      await expectApiError(ann.client.admin.updateSettings({ linkPreviews: false }), 'forbidden', 403);
      expect(await admin.client.admin.updateSettings({ linkPreviews: false })).toMatchObject({ linkPreviews: false });
      try {
        const sent = await ann.client.messages.send(group.id, { clientId: cid(), text: at('/plain?off') });
        await new Promise((resolve) => setTimeout(resolve, 500));
        expect(await linkPreviewsRepo(ts.server.storage.db).forMessage(sent.id)).toBeUndefined();
        expect(pages.hits.public).not.toContain('/plain?off');
      } finally {
        await admin.client.admin.updateSettings({ linkPreviews: true });
      }
    });
  });
}
