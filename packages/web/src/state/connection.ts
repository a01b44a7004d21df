/**
 * The live connection as the rest of the app sees it: its state (for the banner) and the
 * one ParleyRealtime of this page (for sending and typing). sync.ts opens and closes it.
 */
import type { ConnectionState, ParleyRealtime } from '@parley/sdk';
import { createStore, useStore } from './store.js';

export const connectionStore = createStore<ConnectionState>('closed');

let current: ParleyRealtime | null = null;

export function setRealtime(realtime: ParleyRealtime | null) {
  current = realtime;
}

export function getRealtime(): ParleyRealtime {
  if (!current) throw new Error('The live connection is not started');
  return current;
}

/** Tells the others in a chat that we are typing; best effort, over the socket when it is up. */
export function sendTyping(chatId: string) {
  if (current?.state !== 'open') return;
  current.call('typing.start', { chatId }).catch(() => undefined);
}

let sessionEndExpected = false;

/**
 * Our own sign-out or account deletion is about to end the session: the server will close
 * the socket with 4003, maybe before the HTTP answer arrives, and that is not news to
 * report ("your session has ended"). Call with false again if the request fails.
 */
export function expectSessionEnd(expected: boolean) {
  sessionEndExpected = expected;
}

export const isSessionEndExpected = () => sessionEndExpected;

export const useConnectionState = () => useStore(connectionStore, (state) => state);
