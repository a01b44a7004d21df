/**
 * Scenario `uploads` (issue 11): file uploads through a Parley server process on SQLite with
 * disk storage, over tus as the app sends them.
 * - throughput: one 100 MB file (the smoke test's sizes are tiny) in 8 MiB PATCHes (the server stages it, hashes it and copies it
 *   into storage before answering) against writing the same bytes straight to disk with
 *   fs streams in the same run;
 * - thumbnail latency: from a photo's last byte (PATCH answered) to its 480 px thumbnail
 *   being served — the background job's queue wait plus sharp's work; p50 and p95;
 * - memory: the server's RSS, sampled every 100 ms, while ten 100 MB uploads run at once
 *   (it must stay bounded: bytes are streamed, never held whole).
 */
import { createCipheriv, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { UPLOADS_PATH } from '@parley/protocol';
import sharp from 'sharp';
import type { BenchContext } from '../context.js';
import { type BenchUser, createParleyDeployment, registerUsers } from '../parley-fixture.js';
import { CaseCollector, type CaseResult } from '../results.js';
import { percentile } from '../stats.js';

const MB = 1024 * 1024;
const CHUNK = 8 * MB;

/** `megabytes` of incompressible bytes in a temporary file (AES-CTR over zeros). */
async function writeBigFile(file: string, megabytes: number) {
  const cipher = createCipheriv('aes-128-ctr', randomBytes(16), randomBytes(16));
  const out = fs.createWriteStream(file);
  const zeros = Buffer.alloc(MB);
  for (let i = 0; i < megabytes; i++) {
    if (!out.write(cipher.update(zeros))) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  await new Promise<void>((resolve) => out.end(() => resolve()));
}

const tusHeaders = (token: string) => ({ authorization: `Bearer ${token}`, 'tus-resumable': '1.0.0' });

async function createUpload(url: string, token: string, length: number, name: string): Promise<string> {
  const response = await fetch(`${url}${UPLOADS_PATH}`, {
    method: 'POST',
    headers: {
      ...tusHeaders(token),
      'upload-length': String(length),
      'upload-metadata': `filename ${Buffer.from(name).toString('base64')}`,
    },
  });
  if (response.status !== 201) throw new Error(`upload creation answered ${response.status}: ${await response.text()}`);
  return (response.headers.get('location') ?? '').split('/').pop() ?? '';
}

/** One PATCH streaming the body from `source`; resolves when the server answered. */
function patch(url: string, token: string, id: string, length: number, source: () => NodeJS.ReadableStream, offset = 0): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = http.request(`${url}${UPLOADS_PATH}/${id}`, {
      method: 'PATCH',
      headers: {
        ...tusHeaders(token),
        'upload-offset': String(offset),
        'content-type': 'application/offset+octet-stream',
        'content-length': String(length),
      },
    });
    request.on('response', (response) => {
      response.resume();
      response.on('end', () => (response.statusCode === 204 ? resolve() : reject(new Error(`PATCH answered ${response.statusCode}`))));
    });
    request.on('error', reject);
    source().pipe(request);
  });
}

async function uploadFile(url: string, user: BenchUser, file: string, name: string): Promise<string> {
  const size = fs.statSync(file).size;
  const id = await createUpload(url, user.token, size, name);
  // In 8 MiB PATCHes, as the web app sends them: each must arrive within HTTP_REQUEST_TIMEOUT_MS.
  for (let offset = 0; offset < size; offset += CHUNK) {
    const end = Math.min(size, offset + CHUNK);
    await patch(
      url,
      user.token,
      id,
      end - offset,
      () => fs.createReadStream(file, { start: offset, end: end - 1, highWaterMark: MB }),
      offset,
    );
  }
  return id;
}

async function uploadBuffer(url: string, user: BenchUser, bytes: Buffer, name: string): Promise<string> {
  const id = await createUpload(url, user.token, bytes.length, name);
  const { Readable } = await import('node:stream');
  await patch(url, user.token, id, bytes.length, () => Readable.from([bytes]));
  return id;
}

/** A photo (4000 px wide: 12 megapixels) of noise on a colour, so JPEG has real work to do. */
async function photo(seed: number, width: number): Promise<Buffer> {
  const height = Math.round((width * 3) / 4);
  return sharp({
    create: {
      width,
      height,
      channels: 3,
      background: { r: (seed * 37) % 255, g: 120, b: 200 },
      noise: { type: 'gaussian', mean: 128, sigma: 40 },
    },
  })
    .jpeg({ quality: 85 })
    .toBuffer();
}

export async function runUploads(ctx: BenchContext): Promise<CaseResult[]> {
  const { uploadMegabytes: megabytes, uploadParallel: parallel, uploadPhotos: photoCount, uploadPhotoWidth: photoWidth } = ctx.sizes;
  const throughput = new CaseCollector(
    'uploads',
    'upload throughput',
    `One ${megabytes} MB file uploaded over tus in 8 MiB PATCHes (as the web app sends) on 127.0.0.1 (staged, hashed and copied into disk storage before the answer), ` +
      'against fs streams writing the same bytes to a file in the same run.',
    [{ key: 'megabytesPerSecond', label: 'MB/s', unit: 'per-second' }],
  );
  const thumbnails = new CaseCollector(
    'uploads',
    'thumbnail latency',
    `${photoCount} ${photoWidth}×${Math.round((photoWidth * 3) / 4)} JPEG photos, one after another: from the upload's last byte to the 480 px thumbnail being served ` +
      '(job queue wait + one sharp decode feeding three WebP sizes and the metadata-free copy).',
    [
      { key: 'p50', label: 'p50 ms', unit: 'millis' },
      { key: 'p95', label: 'p95 ms', unit: 'millis' },
    ],
  );
  const memory = new CaseCollector(
    'uploads',
    `server memory during ${parallel} uploads of ${megabytes} MB`,
    `${parallel} uploads of ${megabytes} MB at once, each its own user; the server process's RSS sampled every 100 ms.`,
    [
      { key: 'idleMegabytes', label: 'RSS before MB', unit: 'count' },
      { key: 'peakMegabytes', label: 'RSS peak MB', unit: 'count' },
      { key: 'seconds', label: 'all done s', unit: 'count' },
    ],
  );
  const target = 'parley-sqlite';
  if (!ctx.includes(target)) return [];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-bench-uploads-'));
  const big = path.join(dir, 'big.bin');
  await writeBigFile(big, megabytes);
  const deployment = await createParleyDeployment('sqlite', { UPLOAD_MAX_BYTES: String(megabytes * MB), JOBS_POLL_MS: '20' });
  const server = await deployment.start();
  try {
    const users = await registerUsers(server.url, parallel, 4, 'upload');
    const [first] = users;
    if (!first) throw new Error('no users');
    for (let round = 0; round < ctx.rounds; round++) {
      const copy = path.join(dir, `copy-${round}.bin`);
      const d0 = performance.now();
      await pipeline(fs.createReadStream(big, { highWaterMark: MB }), fs.createWriteStream(copy));
      const diskSeconds = (performance.now() - d0) / 1000;
      fs.rmSync(copy);
      const u0 = performance.now();
      await uploadFile(server.url, first, big, `big-${round}.bin`);
      const uploadSeconds = (performance.now() - u0) / 1000;
      ctx.log(
        `uploads round ${round + 1}: upload ${(megabytes / uploadSeconds).toFixed(0)} MB/s, disk ${(megabytes / diskSeconds).toFixed(0)} MB/s`,
      );
      throughput.add(target, { megabytesPerSecond: megabytes / uploadSeconds });
      throughput.add('disk-write', { megabytesPerSecond: megabytes / diskSeconds });
    }
    throughput.compare('upload / plain disk write', 'megabytesPerSecond', target, 'disk-write', 'ratio', 'per-second');

    const photos = await Promise.all(Array.from({ length: Math.min(3, photoCount) }, (_, i) => photo(i, photoWidth)));
    const times: number[] = [];
    for (let i = 0; i < photoCount; i++) {
      const id = await uploadBuffer(server.url, first, photos[i % photos.length] as Buffer, `photo-${i}.jpg`);
      const t0 = performance.now();
      for (;;) {
        const response = await fetch(`${server.url}/api/v1/files/${id}/thumbnails/480`, {
          headers: { authorization: `Bearer ${first.token}` },
        });
        await response.arrayBuffer();
        if (response.status === 200) break;
        if (response.status !== 409) throw new Error(`thumbnail answered ${response.status}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    thumbnails.add(target, { p50: percentile(times, 50), p95: percentile(times, 95) });
    ctx.log(`uploads: thumbnail p50 ${percentile(times, 50).toFixed(0)} ms, p95 ${percentile(times, 95).toFixed(0)} ms`);

    const idle = (await server.memoryAfterGc()).rssBytes;
    let peak = server.rssBytes();
    const sampler = setInterval(() => {
      peak = Math.max(peak, server.rssBytes());
    }, 100);
    const p0 = performance.now();
    try {
      await Promise.all(users.map((user, i) => uploadFile(server.url, user, big, `parallel-${i}.bin`)));
    } finally {
      clearInterval(sampler);
    }
    const seconds = (performance.now() - p0) / 1000;
    memory.add(target, { idleMegabytes: idle / MB, peakMegabytes: peak / MB, seconds });
    ctx.log(
      `uploads: ${parallel} × ${megabytes} MB in ${seconds.toFixed(1)} s; RSS ${(idle / MB).toFixed(0)} MB before, peak ${(peak / MB).toFixed(0)} MB`,
    );
    memory.goal(
      `${target}: RSS grows by less than 200 MB`,
      peak - idle < 200 * MB,
      `+${((peak - idle) / MB).toFixed(0)} MB for ${parallel * megabytes} MB in flight`,
    );
  } finally {
    await server.stop();
    await deployment.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return [throughput.result(), thumbnails.result(), memory.result()];
}
