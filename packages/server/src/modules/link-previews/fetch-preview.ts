/**
 * One link preview from the network: the page's head (only text/html and XHTML, read as
 * it streams and dropped at `</head>`), then the image it names, checked by its bytes
 * (file-type: JPEG, PNG, GIF, WebP or AVIF) and turned by sharp into a WebP of at most
 * 640 px a side without metadata. Everything inside one deadline; each URL through the
 * public-address guard.
 */
import sharp from 'sharp';
import { detectContent, SNIFF_BYTES } from '../attachments/content-type.js';
import { MAX_IMAGE_PIXELS } from '../attachments/media-tools.js';
import { FetchRefused, type PublicFetcher, readAll } from './fetch-public.js';
import { type PageMeta, pageMetaReader } from './page-meta.js';

export const PREVIEW_IMAGE_MAX_SIDE = 640;

export interface FetchedPreview {
  meta: PageMeta;
  /** The host the page was served from, after redirects. */
  host: string;
  image: { webp: Buffer; width: number; height: number } | null;
}

function charsetOf(contentType: string): string {
  const label = /charset=([^;]+)/.exec(contentType)?.[1]?.trim().replace(/^"|"$/g, '') ?? 'utf-8';
  try {
    return new TextDecoder(label).encoding;
  } catch {
    return 'utf-8';
  }
}

async function readHead(fetcher: PublicFetcher, url: string, signal: AbortSignal, maxBytes: number) {
  const page = await fetcher.open(url, { accept: 'text/html, application/xhtml+xml;q=0.9', signal, maxBytes });
  if (!/^(text\/html|application\/xhtml\+xml)\b/.test(page.contentType)) {
    page.close();
    throw new FetchRefused('type', `${page.contentType || 'no content type'} is not a page`);
  }
  const decoder = new TextDecoder(charsetOf(page.contentType));
  const reader = pageMetaReader();
  await new Promise<void>((resolve, reject) => {
    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      page.close();
      resolve();
    };
    page.body.on('data', (chunk: Buffer) => {
      if (!finished && reader.write(decoder.decode(chunk, { stream: true }))) finish();
    });
    page.body.on('end', finish);
    // A page longer than the limit still has its head read: what came before the cut counts.
    page.body.on('error', (error: Error) => {
      if (error instanceof FetchRefused && error.reason === 'size') return finish();
      if (finished) return;
      finished = true;
      page.close();
      // Out of time or cut off: the page gave us nothing we can use.
      reject(error instanceof FetchRefused ? error : new FetchRefused('network', error.message));
    });
    page.body.on('close', finish);
  });
  return { meta: reader.result(), url: page.url };
}

async function readImage(fetcher: PublicFetcher, url: URL, signal: AbortSignal, maxBytes: number): Promise<FetchedPreview['image']> {
  const response = await fetcher.open(url, { accept: 'image/avif, image/webp, image/png, image/jpeg, image/gif', signal, maxBytes });
  const bytes = await readAll(response);
  const detected = await detectContent(bytes.subarray(0, SNIFF_BYTES));
  if (detected.kind !== 'image') throw new FetchRefused('type', `the image is ${detected.mime}`);
  const { data, info } = await sharp(bytes, { limitInputPixels: MAX_IMAGE_PIXELS })
    .rotate()
    .resize(PREVIEW_IMAGE_MAX_SIDE, PREVIEW_IMAGE_MAX_SIDE, { fit: 'inside', withoutEnlargement: true })
    .webp({ quality: 80 })
    .toBuffer({ resolveWithObject: true });
  return { webp: data, width: info.width, height: info.height };
}

/** The preview of `url`, or FetchRefused saying why there is none. A page without an image still has a preview. */
export async function fetchPreview(
  fetcher: PublicFetcher,
  url: string,
  limits: { timeoutMs: number; maxBytes: number },
): Promise<FetchedPreview> {
  const signal = AbortSignal.timeout(limits.timeoutMs);
  const { meta, url: pageUrl } = await readHead(fetcher, url, signal, limits.maxBytes);
  if (!meta.title && !meta.description) throw new FetchRefused('type', 'the page has no title or description');
  let image: FetchedPreview['image'] = null;
  if (meta.image) {
    try {
      image = await readImage(fetcher, new URL(meta.image, pageUrl), signal, limits.maxBytes);
    } catch {
      // Refused, too large, not an image or undecodable: the preview goes without one.
      image = null;
    }
  }
  return { meta, host: pageUrl.hostname, image };
}
