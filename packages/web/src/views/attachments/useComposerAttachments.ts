/**
 * The files being attached in the composer: each uploads as soon as it is picked, pasted or
 * dropped (upload-tracker.ts), with progress; one that fails can be retried, any can be
 * removed (which cancels its upload). Sending hands the uploads over to the message —
 * finished or not: a message whose files are still uploading is shown at once as pending,
 * with their progress, and goes when they are done.
 */
import { type ClipboardEvent, type DragEvent, useCallback, useEffect, useRef, useState } from 'react';
import { cancelUpload, retryUpload, type TrackedUpload, trackUploads, useTrackedUploads } from './upload-tracker.js';

export type DraftAttachment = TrackedUpload;

export function useComposerAttachments() {
  const [keys, setKeys] = useState<readonly string[]>([]);
  const [dragging, setDragging] = useState(false);
  const items = useTrackedUploads(keys);
  const current = useRef(keys);
  current.current = keys;

  const add = useCallback((files: Iterable<File>) => {
    const added = trackUploads(files);
    if (added.length > 0) setKeys((list) => [...list, ...added]);
  }, []);

  const remove = useCallback((key: string) => {
    cancelUpload(key);
    setKeys((list) => list.filter((k) => k !== key));
  }, []);

  const retry = useCallback((key: string) => retryUpload(key), []);

  /** Sending: the uploads (done or not) now belong to the message; the tray is empty again. */
  const handOver = useCallback((): string[] => {
    const handed = [...current.current];
    current.current = [];
    setKeys([]);
    return handed;
  }, []);

  // Leaving the chat with files still in the tray drops them, as removing each would.
  useEffect(
    () => () => {
      for (const key of current.current) cancelUpload(key);
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

  return { items, add, remove, retry, handOver, onPaste, dropTarget, dragging };
}

export type ComposerAttachments = ReturnType<typeof useComposerAttachments>;
