/**
 * People in the search panel's results (issue 13): those whose name or username matches
 * what was typed, each opening their profile — the one place search leads to a person
 * rather than a message. Email matches follow the people search's privacy rules (server).
 */
import { useTranslation } from 'react-i18next';
import { PersonAvatar } from '../../components/ChatAvatar.js';
import { usePeopleSearch } from '../../components/PeoplePicker.js';
import { shownName } from '../../state/people.js';
import { openProfile, relationsStore } from '../../state/people-relations.js';
import { useStore } from '../../state/store.js';
import './people.css';

/** So a one-letter query does not list half the server. */
const MIN_QUERY = 2;
const SHOWN = 5;

export function PeopleHits({ query, onOpen }: { query: string; onOpen(): void }) {
  const { t } = useTranslation();
  const q = query.trim();
  const search = usePeopleSearch(q.length >= MIN_QUERY ? q : '');
  const aliases = useStore(relationsStore, (s) => s.byId);
  const people = search.users.slice(0, SHOWN);
  if (people.length === 0) return null;
  return (
    <section className="search-people" aria-label={t('personal.searchPeople')}>
      <h3 className="search-group-title">{t('personal.searchPeople')}</h3>
      <ul className="search-people-list">
        {people.map((user) => {
          const alias = aliases[user.id]?.alias ?? null;
          return (
            <li key={user.id}>
              <button
                type="button"
                className="search-person"
                data-testid="search-person"
                title={alias ? shownName(user) : undefined}
                onClick={() => {
                  onOpen();
                  openProfile(user.id);
                }}
              >
                <PersonAvatar id={user.id} name={user.displayName} size={32} />
                <span className="search-person-text">
                  <bdi className="search-person-name">{alias ?? shownName(user)}</bdi>
                  <span className="search-person-username">@{user.username}</span>
                </span>
              </button>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
