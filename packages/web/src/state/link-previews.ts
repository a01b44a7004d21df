/**
 * Link previews (E18) as the app knows them: what `message.preview` events said (a preview
 * that arrived, or `null` once its sender removed it) over what the message carried when
 * loaded.
 */
import type { LinkPreview, Message, MessagePreviewUpdated } from '@parley/protocol';
import { parley } from '../api/client.js';
import { onEachConnection } from './follow-realtime.js';
import { createStore, useStore, withEntry } from './store.js';

export const linkPreviewsStore = createStore<Readonly<Record<string, LinkPreview | null>>>({});

export function applyPreview(messageId: string, preview: LinkPreview | null) {
  linkPreviewsStore.update((all) => withEntry(all, messageId, preview));
}

/** The preview to show under a message, if any. */
export const useLinkPreview = (message: Message): LinkPreview | undefined =>
  useStore(linkPreviewsStore, (all) => (message.id in all ? (all[message.id] ?? undefined) : message.linkPreview));

export async function removePreview(message: Message) {
  await parley.linkPreviews.remove(message.chatId, message.id);
  applyPreview(message.id, null);
}

onEachConnection((realtime, isNew) => {
  if (!isNew) return;
  linkPreviewsStore.set({});
  realtime.on('message.preview', (data) => {
    const { messageId, preview } = data as MessagePreviewUpdated;
    applyPreview(messageId, preview);
  });
});
