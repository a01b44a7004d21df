/**
 * An @mention in message text. Someone you gave an alias (issue 13) is shown by it — the
 * alias is yours alone, like the contact list's — with their real name on hover; anyone
 * else by the text as written.
 */
import { relationsStore } from '../state/people-relations.js';
import { useStore } from '../state/store.js';

/** The relationship of the person with this username, if you filed them (aliases are private to you). */
function useFiledPerson(username: string) {
  return useStore(relationsStore, (s) => {
    for (const relationship of Object.values(s.byId)) if (relationship.user.username.toLowerCase() === username) return relationship;
    return undefined;
  });
}

export function Mention({ username, text, me }: { username: string; text: string; me: string | null }) {
  const filed = useFiledPerson(username);
  const alias = filed?.alias ?? null;
  return (
    <span
      className="mention"
      data-username={username}
      data-me={username === me || username === 'all' || username === 'here' ? 'true' : undefined}
      title={alias ? `${filed?.user.displayName ?? ''} (@${username})` : undefined}
    >
      {alias ? `@${alias}` : text}
    </span>
  );
}
