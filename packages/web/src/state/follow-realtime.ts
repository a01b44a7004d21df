/**
 * For stores that live beside sync.ts (drafts, polls…): runs `onOpen` each time the page's
 * live connection opens, telling whether it is a new connection (another sign-in) rather
 * than a reconnect of the same one, so the store can start afresh and listen to it.
 */
import type { ParleyRealtime } from '@parley/sdk';
import { connectionStore, getRealtime } from './connection.js';

export function onEachConnection(onOpen: (realtime: ParleyRealtime, isNew: boolean) => void) {
  let following: ParleyRealtime | null = null;
  const check = () => {
    if (connectionStore.get() !== 'open') return;
    const realtime = getRealtime();
    const isNew = realtime !== following;
    following = realtime;
    onOpen(realtime, isNew);
  };
  connectionStore.subscribe(check);
  check();
}
