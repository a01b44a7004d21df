/**
 * Serves the built browser app (packages/web/dist, or WEB_DIR) from `/`. Hashed files
 * under assets/ never change, so browsers may keep them for a year; index.html is always
 * revalidated so a deploy reaches everyone on their next load. Any other GET that is not
 * an API call and not a file gets index.html, and the app's router shows the page (a
 * reload on /settings works). /api, /healthz and /readyz keep their own routes, and an
 * unknown /api path still gets the JSON 404.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Config } from '../config.js';

/** Where `npm run build` puts the app, from this file in src/http or dist/http alike. */
const DEFAULT_WEB_DIR = fileURLToPath(new URL('../../../web/dist', import.meta.url));

const IMMUTABLE = 'public, max-age=31536000, immutable';
const REVALIDATE = 'no-cache';

/**
 * The app loads nothing from other origins and renders no HTML from data; the policy
 * makes that a rule the browser enforces. Inline styles are allowed only as style
 * attributes set by script (CSSOM), which CSP does not restrict. The API docs
 * (/api/docs, Swagger UI: scripts and styles from its own files only) get the same.
 */
export const DOCUMENT_SECURITY_HEADERS = {
  'content-security-policy': [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; '),
  'referrer-policy': 'same-origin',
  'x-frame-options': 'DENY',
};

const HTML_HEADERS = { ...DOCUMENT_SECURITY_HEADERS, 'cache-control': REVALIDATE };

export function resolveWebDir(config: Pick<Config, 'WEB_DIR'>): string {
  return config.WEB_DIR ? path.resolve(config.WEB_DIR) : DEFAULT_WEB_DIR;
}

const isApiPath = (pathname: string) => pathname === '/api' || pathname.startsWith('/api/');

/**
 * Registers the app's routes when a build exists; returns false (and registers nothing)
 * when it does not, so the caller can fall back to pointing visitors at the API docs.
 */
export async function serveWebApp(app: FastifyInstance, config: Pick<Config, 'WEB_DIR'>): Promise<boolean> {
  const root = resolveWebDir(config);
  if (!fs.existsSync(path.join(root, 'index.html'))) {
    app.log.info({ webDir: root }, 'web app not built: serving the API only (run `npm run build`)');
    return false;
  }

  await app.register(fastifyStatic, {
    root,
    prefix: '/',
    // One route per file, found at start-up: a missing file is an ordinary 404, not a disk lookup per request.
    wildcard: false,
    index: false,
    cacheControl: false,
    schemaHide: true,
    setHeaders: (res, filePath) => {
      const relative = path.relative(root, filePath);
      if (relative === 'index.html') {
        for (const [name, value] of Object.entries(HTML_HEADERS)) res.setHeader(name, value);
      } else {
        res.setHeader('cache-control', relative.startsWith(`assets${path.sep}`) ? IMMUTABLE : REVALIDATE);
      }
    },
  });

  const sendApp = (reply: FastifyReply) => reply.headers(HTML_HEADERS).sendFile('index.html');

  app.get('/', { schema: { hide: true } }, (_request, reply) => sendApp(reply));
  app.get('/*', { schema: { hide: true } }, (request, reply) => {
    const pathname = request.url.split('?')[0] ?? '/';
    // A path with a file extension names a file that does not exist; answering with the app would hide the 404.
    if (isApiPath(pathname) || path.posix.extname(pathname) !== '') return reply.callNotFound();
    return sendApp(reply);
  });
  return true;
}
