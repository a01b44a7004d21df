/**
 * What a message takes of the composer's uploads: the file ids when all are finished (sent
 * at once, as before), or else the uploads themselves — the message is then pending with
 * their progress (PendingUploads.tsx) and is sent with the files that finished once none
 * is left uploading (cancelled ones are left out).
 */
import { releaseUploads, uploadsStore, whenUploaded } from './upload-tracker.js';

export interface MessageFiles {
  attachments?: string[];
  uploads?: { keys: string[]; ready: Promise<string[]> };
}

export function filesForMessage(keys: string[]): MessageFiles {
  if (keys.length === 0) return {};
  const all = uploadsStore.get();
  const ids = keys.map((key) => all[key]?.fileId ?? null);
  if (ids.every((id) => id !== null)) {
    releaseUploads(keys);
    return { attachments: ids as string[] };
  }
  return {
    uploads: {
      keys,
      ready: whenUploaded(keys).then((finished) => {
        releaseUploads(keys);
        return finished;
      }),
    },
  };
}
