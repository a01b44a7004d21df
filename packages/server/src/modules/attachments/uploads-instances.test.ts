/**
 * Uploads across two instances (PostgreSQL + a shared S3 bucket, each instance with its own
 * DATA_DIR): an upload begun on one instance and broken off goes on from the other, whose
 * HEAD knows the offset, and the finished file is the same bytes from either; two instances
 * sent the same bytes at once commit them once (the other answers 409); and deploy/nginx.conf
 * in front of both lets the web app's 8 MiB chunks through.
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { UPLOADS_PATH } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NGINX_AVAILABLE, startNginx, stopNginx } from '../../test/cluster.js';
import { DIALECTS } from '../../test/dialects.js';
import { startTestS3, type TestS3 } from '../../test/s3-server.js';
import { type SecondInstance, signUp, startSecondInstance, startTestServer, type TestServer } from '../../test/test-server.js';
import { createUpload, patchUpload, uploadIdOf, uploadOffset } from '../../test/tus-upload.js';

const MB = 1024 * 1024;
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** A PATCH of the whole rest of the upload that sends `cutAfter` bytes and then drops the connection. */
function interruptedPatch(url: string, token: string, body: Buffer, cutAfter: number): Promise<void> {
  return new Promise((resolve) => {
    const request = http.request(url, {
      method: 'PATCH',
      headers: {
        authorization: `Bearer ${token}`,
        'tus-resumable': '1.0.0',
        'upload-offset': '0',
        'content-type': 'application/offset+octet-stream',
        'content-length': String(body.length),
      },
    });
    request.on('error', () => resolve());
    request.on('close', () => resolve());
    request.write(body.subarray(0, cutAfter), () => setTimeout(() => request.destroy(), 300));
  });
}

describe.skipIf(!DIALECTS.includes('postgres'))('uploads across two instances on postgres with s3 storage', () => {
  let s3: TestS3;
  let first: TestServer;
  let second: SecondInstance;
  beforeAll(async () => {
    s3 = await startTestS3();
    first = await startTestServer('postgres', { ...s3.env, JOBS_POLL_MS: '50' });
    second = await startSecondInstance(first);
  }, 60_000);
  afterAll(async () => {
    await second?.close();
    await first?.close();
    await s3?.close();
  });

  it('goes on with an upload broken off on the other instance, and both serve the same bytes', async () => {
    const ann = await signUp(first, 'multi');
    const onFirst = { baseUrl: first.url, token: ann.token };
    const onSecond = { baseUrl: second.url, token: ann.token };
    const body = randomBytes(20 * MB + 12_345);
    const id = uploadIdOf(await createUpload(onFirst, body.length, { filename: 'long.bin' }));
    await interruptedPatch(`${first.url}${UPLOADS_PATH}/${id}`, ann.token, body, 11 * MB);

    // The second instance knows how far the first one got (every byte that arrived, in parts).
    // Like any tus client it asks for the offset and goes on from there; while the first
    // instance is still storing the broken request's last bytes, the two may cross — then
    // one commit wins, the other PATCH answers 409, and the client asks again.
    const statuses: number[] = [];
    let offset = 0;
    for (let attempt = 0; attempt < 20 && statuses.at(-1) !== 204; attempt++) {
      offset = await uploadOffset(onSecond, id);
      const answer = await patchUpload(onSecond, id, offset, body.subarray(offset));
      statuses.push(answer.status);
    }
    expect(statuses.at(-1)).toBe(204);
    expect(
      statuses.slice(0, -1).every((status) => status === 409),
      statuses.join(' '),
    ).toBe(true);
    expect(offset).toBeGreaterThan(8 * MB);
    expect(offset).toBeLessThanOrEqual(11 * MB);

    const info = await ann.client.files.info(id);
    expect(info).toMatchObject({ size: body.length, sha256: sha256(body) });
    for (const url of [first.url, second.url]) {
      const whole = await fetch(`${url}/api/v1/files/${id}`, { headers: { authorization: `Bearer ${ann.token}` } });
      expect(sha256(new Uint8Array(await whole.arrayBuffer()))).toBe(sha256(body));
    }
    // The parts are gone once the file is stored.
    const parts = await first.server.storage.db.selectFrom('upload_parts').select('storage_key').where('upload_id', '=', id).execute();
    expect(parts).toEqual([]);
  });

  it.skipIf(!NGINX_AVAILABLE)('takes 8 MiB tus chunks through deploy/nginx.conf in front of both instances', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-nginx-'));
    const nginx = await startNginx(dir, [new URL(first.url).host, new URL(second.url).host]);
    try {
      const ann = await signUp(first, 'proxied');
      const viaProxy = { baseUrl: nginx.url, token: ann.token };
      // The web app's chunk size; the rest of the API keeps nginx's 1 MiB body limit.
      const body = randomBytes(8 * MB + 100);
      const id = uploadIdOf(await createUpload(viaProxy, body.length, { filename: 'chunk.bin' }));
      expect((await patchUpload(viaProxy, id, 0, body)).status).toBe(204);
      expect(await ann.client.files.info(id)).toMatchObject({ size: body.length, sha256: sha256(body) });
    } finally {
      await stopNginx(nginx);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('commits the same bytes sent to both instances at once only once', async () => {
    const ann = await signUp(first, 'race2');
    const body = randomBytes(MB);
    const id = uploadIdOf(await createUpload({ baseUrl: first.url, token: ann.token }, body.length, { filename: 'twice.bin' }));
    const answers = await Promise.all(
      [first.url, second.url].map((baseUrl) => patchUpload({ baseUrl, token: ann.token }, id, 0, body).then((r) => r.status)),
    );
    expect(answers.sort()).toEqual([204, 409]);
    const info = await ann.client.files.info(id);
    expect(info).toMatchObject({ size: MB, sha256: sha256(body) });
  });
});
