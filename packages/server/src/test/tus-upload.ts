/**
 * A tus client for tests and benchmarks over fetch: create an upload, send its bytes
 * (whole, or from an offset after asking the server with HEAD), as any tus client would.
 */
import { UPLOADS_PATH } from '@parley/protocol';

export interface UploadTarget {
  baseUrl: string;
  token: string;
}

const tusHeaders = (token: string) => ({ authorization: `Bearer ${token}`, 'tus-resumable': '1.0.0' });

export const encodeMetadata = (metadata: Record<string, string>) =>
  Object.entries(metadata)
    .map(([key, value]) => `${key} ${Buffer.from(value).toString('base64')}`)
    .join(',');

/** POSTs the creation; resolves with the response (201 with a Location on success). */
export function createUpload(target: UploadTarget, length: number, metadata: Record<string, string> = {}) {
  return fetch(`${target.baseUrl}${UPLOADS_PATH}`, {
    method: 'POST',
    headers: { ...tusHeaders(target.token), 'upload-length': String(length), 'upload-metadata': encodeMetadata(metadata) },
  });
}

export function uploadIdOf(response: Response): string {
  const location = response.headers.get('location');
  if (!location) throw new Error(`no Location (status ${response.status})`);
  return location.split('/').pop() ?? '';
}

export function patchUpload(target: UploadTarget, id: string, offset: number, body: BodyInit, extra: RequestInit = {}) {
  return fetch(`${target.baseUrl}${UPLOADS_PATH}/${id}`, {
    method: 'PATCH',
    headers: { ...tusHeaders(target.token), 'upload-offset': String(offset), 'content-type': 'application/offset+octet-stream' },
    body,
    // Node's fetch needs this to send a stream body.
    ...({ duplex: 'half' } as object),
    ...extra,
  });
}

export async function uploadOffset(target: UploadTarget, id: string): Promise<number> {
  const head = await fetch(`${target.baseUrl}${UPLOADS_PATH}/${id}`, { method: 'HEAD', headers: tusHeaders(target.token) });
  if (head.status !== 200) throw new Error(`HEAD answered ${head.status}`);
  return Number(head.headers.get('upload-offset'));
}

/** Uploads `bytes` in one PATCH; resolves with the file id. */
export async function uploadFile(target: UploadTarget, bytes: Uint8Array, metadata: Record<string, string> = {}): Promise<string> {
  const created = await createUpload(target, bytes.length, metadata);
  if (created.status !== 201) throw new Error(`creation answered ${created.status}: ${await created.text()}`);
  const id = uploadIdOf(created);
  const patched = await patchUpload(target, id, 0, bytes as Uint8Array<ArrayBuffer>);
  if (patched.status !== 204) throw new Error(`PATCH answered ${patched.status}: ${await patched.text()}`);
  return id;
}
