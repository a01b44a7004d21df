/**
 * Every file being uploaded, wherever it is shown: first in the composer's tray, then —
 * once its message is sent before the upload has finished — in that message's pending
 * bubble, with the same progress, cancel and retry. Each upload starts when the file is
 * picked, pasted or dropped; a message waiting for its files is sent when the last one
 * that was not cancelled has finished (`whenUploaded`).
 */
import { createStore, useStore, withEntry } from '../../state/store.js';
import { startUpload, type UploadHandle, uploadErrorCode } from './upload.js';

export interface TrackedUpload {
  key: string;
  file: File;
  /** A local preview of an image or video while (and after) it uploads. */
  previewUrl: string | null;
  status: 'uploading' | 'done' | 'failed';
  progress: number;
  fileId: string | null;
  errorCode: string | null;
}

export const uploadsStore = createStore<Readonly<Record<string, TrackedUpload>>>({});
const handles = new Map<string, UploadHandle>();
let nextKey = 0;

function patch(key: string, change: Partial<TrackedUpload>) {
  uploadsStore.update((all) => {
    const item = all[key];
    return item ? withEntry(all, key, { ...item, ...change }) : all;
  });
}

function begin(key: string) {
  const item = uploadsStore.get()[key];
  if (!item) return;
  const handle = startUpload(item.file, item.file.name || 'file', {
    onProgress: (sent, total) => patch(key, { progress: total > 0 ? sent / total : 0 }),
  });
  handles.set(key, handle);
  handle.done.then(
    (fileId) => patch(key, { status: 'done', fileId, progress: 1 }),
    (error: unknown) => {
      if (handles.get(key) === handle) patch(key, { status: 'failed', errorCode: uploadErrorCode(error) });
    },
  );
}

/** Starts uploading each file; returns their keys. */
export function trackUploads(files: Iterable<File>): string[] {
  const added: TrackedUpload[] = [];
  for (const file of files) {
    const previewable = file.type.startsWith('image/') || file.type.startsWith('video/');
    added.push({
      key: `upload${nextKey++}`,
      file,
      previewUrl: previewable ? URL.createObjectURL(file) : null,
      status: 'uploading',
      progress: 0,
      fileId: null,
      errorCode: null,
    });
  }
  uploadsStore.update((all) => Object.fromEntries([...Object.entries(all), ...added.map((item) => [item.key, item])]));
  for (const item of added) begin(item.key);
  return added.map((item) => item.key);
}

export function retryUpload(key: string) {
  patch(key, { status: 'uploading', progress: 0, errorCode: null });
  begin(key);
}

function forget(key: string) {
  handles.delete(key);
  uploadsStore.update((all) => {
    const gone = all[key];
    if (!gone) return all;
    if (gone.previewUrl) URL.revokeObjectURL(gone.previewUrl);
    return withEntry(all, key, undefined);
  });
}

/** Stops the upload (the server drops what it had) and forgets it. */
export function cancelUpload(key: string) {
  handles.get(key)?.abort();
  forget(key);
}

/** Uploads whose files now belong to a sent message: nothing to show or cancel any more. */
export function releaseUploads(keys: readonly string[]) {
  for (const key of keys) forget(key);
}

/**
 * The file ids, in order, once every one of these uploads that was not cancelled has
 * finished (a failed one waits for its retry or its cancel); [] when all were cancelled.
 */
export function whenUploaded(keys: readonly string[]): Promise<string[]> {
  return new Promise((resolve) => {
    let unsubscribe: (() => void) | null = null;
    let settled = false;
    const check = () => {
      const all = uploadsStore.get();
      const live = keys.flatMap((key) => (all[key] ? [all[key]] : []));
      if (settled || !live.every((item) => item.status === 'done' && item.fileId)) return;
      settled = true;
      unsubscribe?.();
      resolve(live.map((item) => item.fileId as string));
    };
    unsubscribe = uploadsStore.subscribe(check);
    check();
  });
}

const NONE: readonly TrackedUpload[] = [];

/** These uploads as they are now (those still tracked), for the tray or a pending bubble. */
export function useTrackedUploads(keys: readonly string[]): readonly TrackedUpload[] {
  const all = useStore(uploadsStore, (state) => state);
  if (keys.length === 0) return NONE;
  return keys.flatMap((key) => (all[key] ? [all[key]] : []));
}
