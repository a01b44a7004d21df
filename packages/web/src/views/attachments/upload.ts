/**
 * Uploading a file over tus (tus-js-client): resumable in 8 MiB chunks — a broken
 * connection retries and continues from the server's offset — with progress and abort.
 * The session cookie authenticates; every write carries the CSRF header like the SDK's.
 */
import { CSRF_COOKIE, CSRF_HEADER, UPLOADS_PATH, type UploadPurpose } from '@parley/protocol';
import { Upload } from 'tus-js-client';
import { readCookie } from '../../api/cookies.js';

export interface UploadHandle {
  /** Resolves with the file id once the server has every byte. */
  done: Promise<string>;
  abort(): void;
}

export interface UploadOptions {
  purpose?: UploadPurpose;
  durationMs?: number;
  waveform?: string;
  onProgress?: (sent: number, total: number) => void;
}

const CHUNK_SIZE = 8 * 1024 * 1024;

/** The server's error code in a failed tus response body, if it sent one. */
export function uploadErrorCode(error: unknown): string | null {
  const body = (error as { originalResponse?: { getBody(): string } | null }).originalResponse?.getBody();
  try {
    return (JSON.parse(body ?? '') as { error?: { code?: string } }).error?.code ?? null;
  } catch {
    return null;
  }
}

export function startUpload(file: Blob, name: string, options: UploadOptions = {}): UploadHandle {
  let upload: Upload | null = null;
  const done = new Promise<string>((resolve, reject) => {
    const metadata: Record<string, string> = { filename: name, purpose: options.purpose ?? 'attachment' };
    if (options.durationMs !== undefined) metadata.durationMs = String(Math.round(options.durationMs));
    if (options.waveform) metadata.waveform = options.waveform;
    upload = new Upload(file, {
      endpoint: UPLOADS_PATH,
      chunkSize: CHUNK_SIZE,
      retryDelays: [0, 1000, 3000, 5000, 10000],
      metadata,
      removeFingerprintOnSuccess: true,
      onBeforeRequest(request) {
        const csrf = readCookie(`__Host-${CSRF_COOKIE}`) ?? readCookie(CSRF_COOKIE);
        if (csrf) request.setHeader(CSRF_HEADER, csrf);
      },
      // 4xx other than a lost lock are final (too large, over quota): no point retrying.
      onShouldRetry: (error) => {
        const status = (error as { originalResponse?: { getStatus(): number } | null }).originalResponse?.getStatus() ?? 0;
        return status === 0 || status === 409 || status === 423 || status >= 500;
      },
      onProgress: (sent, total) => options.onProgress?.(sent, total),
      onError: reject,
      onSuccess: () => {
        const id = upload?.url?.split('/').pop();
        if (id) resolve(id);
        else reject(new Error('The server gave the upload no address'));
      },
    });
    upload.start();
  });
  return {
    done,
    abort: () => {
      void upload?.abort(true);
    },
  };
}
