/**
 * In-page notifications: the unread count in the tab title and a short chime for
 * messages in chats you are not looking at (never for muted chats, and only when sounds
 * are on). The chime is synthesised with the Web Audio API, so no sound file ships.
 */
import { getSoundEnabled } from './preferences.js';

let titleBase = document.title;
let titleUnread = 0;

function renderTitle() {
  document.title = titleUnread > 0 ? `(${titleUnread}) ${titleBase}` : titleBase;
}

export function setTitleBase(text: string) {
  titleBase = text;
  renderTitle();
}

export function setTitleUnread(count: number) {
  if (count === titleUnread) return;
  titleUnread = count;
  renderTitle();
}

let audio: AudioContext | null = null;
let lastChimeAt = 0;
const CHIME_GAP_MS = 1200;

/** Browsers start audio only after a gesture: create and resume the context on the first one. */
export function unlockAudioOnGesture() {
  const unlock = () => {
    if (typeof AudioContext === 'undefined') return;
    audio ??= new AudioContext();
    void audio.resume().catch(() => undefined);
  };
  document.addEventListener('pointerdown', unlock, { once: true, capture: true });
  document.addEventListener('keydown', unlock, { once: true, capture: true });
}

/** Two soft sine notes (E6, then A6) with quick attack and exponential decay: a gentle "ding-dong". */
export function playChime() {
  if (!getSoundEnabled() || !audio || audio.state !== 'running') return;
  const now = Date.now();
  if (now - lastChimeAt < CHIME_GAP_MS) return;
  lastChimeAt = now;
  const start = audio.currentTime + 0.01;
  [1318.5, 1760].forEach((frequency, index) => {
    if (!audio) return;
    const oscillator = audio.createOscillator();
    const gain = audio.createGain();
    const at = start + index * 0.11;
    oscillator.type = 'sine';
    oscillator.frequency.value = frequency;
    gain.gain.setValueAtTime(0.0001, at);
    gain.gain.exponentialRampToValueAtTime(0.14, at + 0.012);
    gain.gain.exponentialRampToValueAtTime(0.0001, at + 0.42);
    oscillator.connect(gain).connect(audio.destination);
    oscillator.start(at);
    oscillator.stop(at + 0.45);
  });
}

/** Whether the person is looking at this page right now. */
export const pageIsSeen = () => document.visibilityState === 'visible' && document.hasFocus();
