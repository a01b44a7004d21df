/**
 * System messages ("Ann added Bob") in words, with names looked up as people are known.
 * Each name is marked as its own bidi isolate (text/isolate.ts; render with <Isolated>): a
 * name holding U+202E (stored before the server refused them) cannot reverse the words
 * after it. Lists of names are joined the reader's way (Intl.ListFormat), and what you did
 * yourself has its own sentence ("You added Bob", not "You added" with a capital inside).
 */
import type { SystemInfo } from '@parley/protocol';
import type { TFunction } from 'i18next';
import { formatList } from '../../i18n/format.js';
import { peopleStore, shownName, usePersonName } from '../../state/people.js';
import { relationsStore } from '../../state/people-relations.js';
import { useStore } from '../../state/store.js';
import { isolateName } from '../../text/isolate.js';

/** `nameOf` answers null for the reader themself. */
export function describeSystem(info: SystemInfo, nameOf: (id: string | null) => string | null, t: TFunction, language: string): string {
  const self = info.actorId !== null && nameOf(info.actorId) === null;
  const actor = isolateName(nameOf(info.actorId) ?? t('common.you'));
  const onlyReader = info.targetIds.length === 1 && nameOf(info.targetIds[0] ?? null) === null;
  const targets = formatList(
    info.targetIds.map((id) => isolateName(nameOf(id) ?? t('system.you'))),
    language,
  );
  switch (info.action) {
    case 'created':
      return self ? t('system.created_self') : t('system.created', { actor });
    case 'joined':
      return self ? t('system.joined_self') : t('system.joined', { actor });
    case 'left':
      return self ? t('system.left_self') : t('system.left', { actor });
    case 'added':
      return self ? t('system.added_self', { targets }) : t('system.added', { actor, targets });
    case 'removed':
      return self ? t('system.removed_self', { targets }) : t('system.removed', { actor, targets });
    case 'renamed': {
      const name = isolateName(info.name ?? '');
      return self ? t('system.renamed_self', { name }) : t('system.renamed', { actor, name });
    }
    case 'role_changed':
      // Its own sentence when it is only you: Russian puts "вас" before the role
      // ("Борис назначил(а) вас администратором"), where names follow a colon.
      if (!self && onlyReader) return t(info.role === 'admin' ? 'system.madeAdminYou' : 'system.madeMemberYou', { actor });
      if (info.role === 'admin') return self ? t('system.madeAdmin_self', { targets }) : t('system.madeAdmin', { actor, targets });
      return self ? t('system.madeMember_self', { targets }) : t('system.madeMember', { actor, targets });
    case 'ownership_transferred':
      return onlyReader ? t('system.owner_self') : t('system.owner', { targets });
    default:
      return self ? t('system.updated_self') : t('system.updated', { actor });
  }
}

/**
 * The words for a system message; re-renders when a name it needs becomes known (and fetches unknown ones).
 * People you gave an alias appear by it (issue 13); `realNames` asks for their real names instead (the hover text).
 */
export function useSystemText(info: SystemInfo | null, meId: string, t: TFunction, language: string, realNames = false): string {
  const relations = useStore(relationsStore, (s) => s.byId);
  const text = useStore(peopleStore, (people) => {
    if (!info) return '';
    const nameOf = (id: string | null) => {
      if (id === null) return t('system.someone');
      if (id === meId) return null;
      return (realNames ? null : relations[id]?.alias) || shownName(people[id]) || t('system.someone');
    };
    return describeSystem(info, nameOf, t, language);
  });
  const people = peopleStore.get();
  const missing = info ? ([info.actorId, ...info.targetIds].find((id) => id && id !== meId && !people[id]?.displayName) ?? null) : null;
  usePersonName(missing);
  return text;
}
