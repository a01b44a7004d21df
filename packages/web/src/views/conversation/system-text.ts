/**
 * System messages ("Ann added Bob") in words, with names looked up as people are known.
 * Each name is marked as its own bidi isolate (text/isolate.ts; render with <Isolated>): a
 * name holding U+202E (stored before the server refused them) cannot reverse the words
 * after it.
 */
import type { SystemInfo } from '@parley/protocol';
import type { TFunction } from 'i18next';
import { peopleStore, usePersonName } from '../../state/people.js';
import { useStore } from '../../state/store.js';
import { isolateName } from '../../text/isolate.js';

export function describeSystem(info: SystemInfo, nameOf: (id: string | null) => string, t: TFunction): string {
  const actor = isolateName(nameOf(info.actorId));
  const targets = info.targetIds.map((id) => isolateName(nameOf(id))).join(', ');
  switch (info.action) {
    case 'created':
      return t('system.created', { actor });
    case 'joined':
      return t('system.joined', { actor });
    case 'left':
      return t('system.left', { actor });
    case 'added':
      return t('system.added', { actor, targets });
    case 'removed':
      return t('system.removed', { actor, targets });
    case 'renamed':
      return t('system.renamed', { actor, name: isolateName(info.name ?? '') });
    case 'role_changed':
      return info.role === 'admin' ? t('system.madeAdmin', { actor, targets }) : t('system.madeMember', { actor, targets });
    case 'ownership_transferred':
      return t('system.owner', { targets });
    default:
      return t('system.updated', { actor });
  }
}

/** The words for a system message; re-renders when a name it needs becomes known (and fetches unknown ones). */
export function useSystemText(info: SystemInfo | null, meId: string, t: TFunction): string {
  const text = useStore(peopleStore, (people) => {
    if (!info) return '';
    const nameOf = (id: string | null) => {
      if (id === null) return t('system.someone');
      if (id === meId) return t('common.you');
      return people[id]?.displayName || t('system.someone');
    };
    return describeSystem(info, nameOf, t);
  });
  const people = peopleStore.get();
  const missing = info ? ([info.actorId, ...info.targetIds].find((id) => id && id !== meId && !people[id]?.displayName) ?? null) : null;
  usePersonName(missing);
  return text;
}
