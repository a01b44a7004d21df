/** Which attachment the fullscreen viewer shows (null: closed). One viewer for the app. */
import { createStore, useStore } from '../../state/store.js';

export interface ViewerTarget {
  chatId: string;
  attachmentId: string;
  messageId: string;
}

export const viewerStore = createStore<ViewerTarget | null>(null);
export const openViewer = (target: ViewerTarget) => viewerStore.set(target);
export const closeViewer = () => viewerStore.set(null);
export const useViewerTarget = () => useStore(viewerStore, (target) => target);
