/**
 * A real S3-compatible server for tests (s3rver, storing under a temporary directory)
 * on 127.0.0.1, with one bucket; and the S3_* environment that points Parley at it.
 * Not a mock: the AWS client speaks signed HTTP to it like to any S3.
 */
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
// @ts-expect-error s3rver ships no type declarations; its constructor and run/close are all we use.
import S3rver from 's3rver';

export interface TestS3 {
  env: Record<string, string>;
  close(): Promise<void>;
}

interface S3rverInstance {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
}

export async function startTestS3(bucket = 'parley-test'): Promise<TestS3> {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-s3-'));
  const server = new (S3rver as new (options: object) => S3rverInstance)({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: [{ name: bucket }],
  });
  const address = await server.run();
  return {
    env: {
      S3_BUCKET: bucket,
      S3_ENDPOINT: `http://127.0.0.1:${address.port}`,
      S3_REGION: 'us-east-1',
      S3_ACCESS_KEY_ID: 'S3RVER',
      S3_SECRET_ACCESS_KEY: 'S3RVER',
      S3_FORCE_PATH_STYLE: 'true',
    },
    close: async () => {
      await server.close();
      fs.rmSync(directory, { recursive: true, force: true });
    },
  };
}

/** The storage backends every file suite runs on; `PARLEY_TEST_STORAGE=disk` (or `s3`) narrows the run. */
export const STORAGE_BACKENDS = (process.env.PARLEY_TEST_STORAGE ?? 'disk,s3').split(',').map((b) => b.trim()) as ('disk' | 's3')[];
