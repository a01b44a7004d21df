/**
 * Finding people by name or username: a search field whose results follow the typing
 * (debounced, stale answers dropped). Pick one (`onPick`) or tick several (`selected`).
 */
import type { PublicUser } from '@parley/protocol';
import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { parley } from '../api/client.js';
import { rememberUser } from '../state/people.js';
import { useMe } from '../state/session.js';
import { PersonAvatar } from './ChatAvatar.js';
import { CheckIcon, CrossIcon, SearchIcon } from './icons.js';

const SEARCH_DELAY_MS = 250;

type SearchState = { query: string; status: 'idle' | 'loading' | 'done' | 'failed'; users: PublicUser[] };

export function usePeopleSearch(query: string): SearchState {
  const q = query.trim();
  const [state, setState] = useState<SearchState>({ query: '', status: 'idle', users: [] });
  useEffect(() => {
    if (q === '') return;
    let current = true;
    const timer = window.setTimeout(() => {
      parley.users.search(q, { limit: 20 }).then(
        (page) => {
          for (const user of page.items) rememberUser(user);
          if (current) setState({ query: q, status: 'done', users: page.items });
        },
        () => {
          if (current) setState({ query: q, status: 'failed', users: [] });
        },
      );
    }, SEARCH_DELAY_MS);
    return () => {
      current = false;
      window.clearTimeout(timer);
    };
  }, [q]);
  if (q === '') return { query: q, status: 'idle', users: [] };
  return state.query === q ? state : { query: q, status: 'loading', users: state.users };
}

export function PeoplePicker({
  label,
  excludeIds = [],
  selected,
  onToggle,
  onPick,
}: {
  label: string;
  excludeIds?: readonly string[];
  /** Several people: the ticked ones, and how to tick or untick. */
  selected?: readonly PublicUser[];
  onToggle?(user: PublicUser): void;
  /** One person: called with them. */
  onPick?(user: PublicUser): void;
}) {
  const { t } = useTranslation();
  const me = useMe();
  const inputId = useId();
  const [query, setQuery] = useState('');
  const search = usePeopleSearch(query);
  const hidden = new Set([me.id, ...excludeIds]);
  const results = search.users.filter((user) => !hidden.has(user.id) && !user.deleted);
  const isSelected = (user: PublicUser) => selected?.some((s) => s.id === user.id) ?? false;

  return (
    <div className="people-picker">
      {selected && selected.length > 0 && (
        <ul className="chip-list" aria-label={t('people.selected')}>
          {selected.map((user) => (
            <li key={user.id} className="chip">
              <span>{user.displayName}</span>
              <button
                type="button"
                className="chip-remove"
                aria-label={t('people.remove', { name: user.displayName })}
                onClick={() => onToggle?.(user)}
              >
                <CrossIcon size={12} />
              </button>
            </li>
          ))}
        </ul>
      )}
      <label className="field-label" htmlFor={inputId}>
        {label}
      </label>
      <div className="search-field">
        <SearchIcon />
        <input
          id={inputId}
          className="input"
          type="search"
          autoComplete="off"
          placeholder={t('people.searchPlaceholder')}
          value={query}
          onChange={(event) => setQuery(event.target.value)}
          // biome-ignore lint/a11y/noAutofocus: the dialog exists to search; focus belongs in its field.
          autoFocus
        />
      </div>
      <div className="picker-results" aria-live="polite">
        {search.status === 'idle' && <p className="picker-hint">{t('people.hint')}</p>}
        {search.status === 'loading' && results.length === 0 && <p className="picker-hint">{t('people.searching')}</p>}
        {search.status === 'failed' && <p className="picker-hint">{t('errors.network')}</p>}
        {search.status === 'done' && results.length === 0 && (
          <p className="picker-hint">{t('people.noResults', { query: search.query })}</p>
        )}
        {results.length > 0 && (
          <ul className="picker-list">
            {results.map((user) => (
              <li key={user.id}>
                <button
                  type="button"
                  className="picker-row"
                  aria-pressed={selected ? isSelected(user) : undefined}
                  onClick={() => (onPick ? onPick(user) : onToggle?.(user))}
                >
                  <PersonAvatar id={user.id} name={user.displayName} size={36} />
                  <span className="picker-row-text">
                    <span className="picker-row-name">{user.displayName}</span>
                    <span className="picker-row-meta">@{user.username}</span>
                  </span>
                  {selected && <span className="picker-check">{isSelected(user) && <CheckIcon size={16} />}</span>}
                </button>
              </li>
            ))}
          </ul>
        )}
      </div>
    </div>
  );
}
