/** The file storage the config selects: S3 when S3_BUCKET is set, else DATA_DIR/files on disk. */
import path from 'node:path';
import type { Config } from '../config.js';
import { createDiskStorage } from './disk-storage.js';
import type { FileStorage } from './file-storage.js';
import { createS3Storage } from './s3-storage.js';

export type { ByteRange, FileStorage } from './file-storage.js';

type StorageConfig = Pick<
  Config,
  'DATA_DIR' | 'S3_BUCKET' | 'S3_ENDPOINT' | 'S3_REGION' | 'S3_ACCESS_KEY_ID' | 'S3_SECRET_ACCESS_KEY' | 'S3_FORCE_PATH_STYLE' | 'S3_PREFIX'
>;

export function createFileStorage(config: StorageConfig): FileStorage {
  if (!config.S3_BUCKET) return createDiskStorage(path.resolve(config.DATA_DIR, 'files'));
  return createS3Storage({
    bucket: config.S3_BUCKET,
    region: config.S3_REGION,
    forcePathStyle: config.S3_FORCE_PATH_STYLE === 'true',
    prefix: config.S3_PREFIX,
    ...(config.S3_ENDPOINT && { endpoint: config.S3_ENDPOINT }),
    ...(config.S3_ACCESS_KEY_ID && { accessKeyId: config.S3_ACCESS_KEY_ID }),
    ...(config.S3_SECRET_ACCESS_KEY && { secretAccessKey: config.S3_SECRET_ACCESS_KEY }),
  });
}
