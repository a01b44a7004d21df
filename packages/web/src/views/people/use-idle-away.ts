/**
 * Away after a while without input on this device (B3); back at the next key, click or
 * touch. The server tells those who may see our presence. Someone who set themself away by
 * hand (state/manual-away.ts) stays away however active they are.
 */
import { useEffect } from 'react';
import { parley } from '../../api/client.js';
import { manualAwayStore } from '../../state/manual-away.js';

export const IDLE_AWAY_MS = 5 * 60_000;

export function useIdleAway(idleMs: number = IDLE_AWAY_MS) {
  useEffect(() => {
    let away = false;
    let timer = 0;
    const goAway = () => {
      if (manualAwayStore.get()) return;
      away = true;
      void parley.people.setPresence('away').catch(() => undefined);
    };
    const active = () => {
      window.clearTimeout(timer);
      timer = window.setTimeout(goAway, idleMs);
      if (!away || manualAwayStore.get()) return;
      away = false;
      void parley.people.setPresence('online').catch(() => undefined);
    };
    const events = ['keydown', 'pointerdown', 'wheel', 'touchstart'] as const;
    for (const name of events) window.addEventListener(name, active, { passive: true });
    active();
    return () => {
      window.clearTimeout(timer);
      for (const name of events) window.removeEventListener(name, active);
    };
  }, [idleMs]);
}
