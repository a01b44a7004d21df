/** A person's initials on a colour derived from their id, so the same person always looks the same. */
import { peopleStore } from '../state/people.js';
import { useStore } from '../state/store.js';
import { AvatarImage } from '../views/attachments/AvatarImage.js';

const HUES = [4, 20, 145, 168, 192, 212, 230, 262, 290, 330];

/** The hue of a person's colour: their avatar, and their name above their messages. */
export function hueFor(id: string): number {
  let hash = 0;
  for (const char of id) hash = (hash * 31 + (char.codePointAt(0) ?? 0)) >>> 0;
  return HUES[hash % HUES.length] ?? 220;
}

/** Up to two letters from the name's first words; whole code points, so emoji and CJK stay intact. */
export function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const letters = words.slice(0, 2).map((word) => [...word][0] ?? '');
  return letters.join('').toLocaleUpperCase() || '?';
}

/**
 * `imageId`: a profile photo (views/attachments/AvatarImage.tsx); the initials stay underneath
 * as the fallback. Without one, a person's photo as the app knows it (state/people.ts), so
 * every place that shows someone shows their photo, and a change arrives live.
 */
export function Avatar({ id, name, size = 40, imageId }: { id: string; name: string; size?: number; imageId?: string | null }) {
  const known = useStore(peopleStore, (people) => people[id]?.avatarId ?? null);
  const photo = imageId === undefined ? known : imageId;
  return (
    <span
      className="avatar"
      aria-hidden="true"
      style={{ width: size, height: size, fontSize: size * 0.4, ['--avatar-hue' as string]: String(hueFor(id)) }}
    >
      {initials(name)}
      {photo && <AvatarImage fileId={photo} size={size} />}
    </span>
  );
}
