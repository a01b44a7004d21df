/**
 * Setting a profile or group photo: the square crop uploads (purpose `avatar`), the server
 * makes its sizes in a background job, and until they exist setting it answers
 * `file_not_ready` — so it is tried again for a few seconds.
 */
import { ParleyApiError } from '@parley/sdk';
import { parley } from '../../api/client.js';
import { updateChat } from '../../state/chats.js';
import { rememberUser } from '../../state/people.js';
import { startUpload } from './upload.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function whenReady<T>(set: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await set();
    } catch (error) {
      if (!(error instanceof ParleyApiError && error.code === 'file_not_ready') || attempt > 40) throw error;
      await sleep(250);
    }
  }
}

/** Uploads a cropped photo as an avatar; resolves with its file id. */
export const uploadAvatar = (photo: File) => startUpload(photo, photo.name, { purpose: 'avatar' }).done;

/** Your photo (null: back to the initials); the people store learns it at once. */
export async function setMyPhoto(fileId: string | null) {
  const user = await whenReady(() => parley.files.setMyAvatar(fileId));
  rememberUser(user);
  return user;
}

/** A group's or room's photo, for those who may edit the chat; the others hear of it as chat.updated. */
export async function setGroupPhoto(chatId: string, fileId: string | null) {
  const { avatarId } = await whenReady(() => parley.files.setChatAvatar(chatId, fileId));
  updateChat(chatId, (chat) => ({ ...chat, avatarId }));
}
