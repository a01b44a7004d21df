/**
 * The files being attached in the composer: each uploads as soon as it is picked, pasted or
 * dropped, with progress; one that fails can be retried, any can be removed (which cancels
 * its upload). Sending takes the finished ones.
 */
import { type ClipboardEvent, type DragEvent, useCallback, useEffect, useRef, useState } from 'react';
import { startUpload, type UploadHandle, uploadErrorCode } from './upload.js';

export interface DraftAttachment {
  key: string;
  file: File;
  /** A local preview of an image or video while (and after) it uploads. */
  previewUrl: string | null;
  status: 'uploading' | 'done' | 'failed';
  progress: number;
  fileId: string | null;
  errorCode: string | null;
}

let nextKey = 0;

export function useComposerAttachments() {
  const [items, setItems] = useState<DraftAttachment[]>([]);
  const [dragging, setDragging] = useState(false);
  const uploads = useRef(new Map<string, UploadHandle>());

  const patch = useCallback((key: string, change: Partial<DraftAttachment>) => {
    setItems((list) => list.map((item) => (item.key === key ? { ...item, ...change } : item)));
  }, []);

  const begin = useCallback(
    (key: string, file: File) => {
      const handle = startUpload(file, file.name || 'file', {
        onProgress: (sent, total) => patch(key, { progress: total > 0 ? sent / total : 0 }),
      });
      uploads.current.set(key, handle);
      handle.done.then(
        (fileId) => patch(key, { status: 'done', fileId, progress: 1 }),
        (error: unknown) => patch(key, { status: 'failed', errorCode: uploadErrorCode(error) }),
      );
    },
    [patch],
  );

  const add = useCallback(
    (files: Iterable<File>) => {
      const added: DraftAttachment[] = [];
      for (const file of files) {
        const key = `att${nextKey++}`;
        const previewable = file.type.startsWith('image/') || file.type.startsWith('video/');
        added.push({
          key,
          file,
          previewUrl: previewable ? URL.createObjectURL(file) : null,
          status: 'uploading',
          progress: 0,
          fileId: null,
          errorCode: null,
        });
      }
      if (added.length === 0) return;
      setItems((list) => [...list, ...added]);
      for (const item of added) begin(item.key, item.file);
    },
    [begin],
  );

  const remove = useCallback((key: string) => {
    uploads.current.get(key)?.abort();
    uploads.current.delete(key);
    setItems((list) => {
      const gone = list.find((item) => item.key === key);
      if (gone?.previewUrl) URL.revokeObjectURL(gone.previewUrl);
      return list.filter((item) => item.key !== key);
    });
  }, []);

  const retry = useCallback(
    (key: string) => {
      const item = items.find((i) => i.key === key);
      if (!item) return;
      patch(key, { status: 'uploading', progress: 0, errorCode: null });
      begin(key, item.file);
    },
    [items, patch, begin],
  );

  /** After a send: the files now belong to the message (their previews stay with it until reload). */
  const clear = useCallback(() => {
    uploads.current.clear();
    setItems([]);
  }, []);

  useEffect(
    () => () => {
      for (const handle of uploads.current.values()) handle.abort();
    },
    [],
  );

  const onPaste = (event: ClipboardEvent) => {
    const files = [...event.clipboardData.files];
    if (files.length === 0) return;
    event.preventDefault();
    add(files);
  };
  const hasFiles = (event: DragEvent) => [...event.dataTransfer.types].includes('Files');
  const dropTarget = {
    onDragOver: (event: DragEvent) => {
      if (!hasFiles(event)) return;
      event.preventDefault();
      setDragging(true);
    },
    onDragLeave: () => setDragging(false),
    onDrop: (event: DragEvent) => {
      if (!hasFiles(event)) return;
      event.preventDefault();
      setDragging(false);
      add(event.dataTransfer.files);
    },
  };

  const ready = items.filter((item) => item.status === 'done' && item.fileId).map((item) => item.fileId as string);
  const busy = items.some((item) => item.status === 'uploading');
  const failed = items.some((item) => item.status === 'failed');
  return { items, add, remove, retry, clear, onPaste, dropTarget, dragging, ready, busy, failed };
}

export type ComposerAttachments = ReturnType<typeof useComposerAttachments>;
