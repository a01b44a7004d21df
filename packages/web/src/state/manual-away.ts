/**
 * Away by hand (issue 13, B3): the signed-in person says they are away until they say they
 * are back. The server holds it on every device (`byHand`: another device coming back from
 * idle does not end it) but only while a socket is open, so this device remembers the choice
 * (localStorage, per user) and says it again after every (re)connect; while it is set,
 * idling and coming back here (views/people/use-idle-away.ts) change nothing.
 */
import { parley } from '../api/client.js';
import { createStore, useStore } from './store.js';

const keyFor = (userId: string) => `parley.manualAway.${userId}`;

export const manualAwayStore = createStore<boolean>(false);
let signedInId: string | null = null;

function remember(away: boolean) {
  if (!signedInId) return;
  try {
    if (away) window.localStorage.setItem(keyFor(signedInId), '1');
    else window.localStorage.removeItem(keyFor(signedInId));
  } catch {
    // Storage may be off (private mode): the choice then lasts until the page closes.
  }
}

/** After every (re)connect: read this user's choice and tell the server again if they are away. */
export function restoreManualAway(userId: string) {
  signedInId = userId;
  let away = false;
  try {
    away = window.localStorage.getItem(keyFor(userId)) === '1';
  } catch {
    away = manualAwayStore.get();
  }
  manualAwayStore.set(away);
  if (away) void parley.people.setPresence('away', { byHand: true }).catch(() => undefined);
}

export async function setManualAway(away: boolean) {
  await parley.people.setPresence(away ? 'away' : 'online', { byHand: true });
  manualAwayStore.set(away);
  remember(away);
}

export const useManualAway = () => useStore(manualAwayStore, (away) => away);
