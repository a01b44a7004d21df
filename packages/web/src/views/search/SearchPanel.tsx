/**
 * The message search panel (G1–G3): a field, filter chips, and the results grouped by chat
 * with their matches highlighted. A result opens its chat at that message (the `around`
 * page) and flashes it. Snippets are text with ranges from the server; they are rendered
 * as text and <mark>, so a message can never inject markup.
 */
import type { SearchHit } from '@parley/protocol';
import { useEffect, useId, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Dialog } from '../../components/Dialog.js';
import { CrossIcon, SearchIcon } from '../../components/icons.js';
import { formatListTime } from '../../i18n/format.js';
import { chatsStore } from '../../state/chats.js';
import { jumpTo } from '../../state/messages.js';
import { chatTitle, shownName } from '../../state/people.js';
import { chatPath, navigate } from '../../state/router.js';
import { useStore } from '../../state/store.js';
import { openThread } from '../../state/threads.js';
import { showToast } from '../../state/toasts.js';
import { PeopleHits } from '../people/PeopleHits.js';
import { groupByChat, snippetPieces } from './group-hits.js';
import { closeSearch, runSearch, type SearchFilters, type SearchState, setFilters, setQuery } from './search-state.js';
import './search.css';

/** Typing pauses this long before a search goes out. */
const DEBOUNCE_MS = 250;

function Chip({ pressed, label, onToggle }: { pressed: boolean; label: string; onToggle(): void }) {
  return (
    <button type="button" className="search-chip" aria-pressed={pressed} onClick={onToggle}>
      {label}
    </button>
  );
}

function HitButton({ hit, onOpen }: { hit: SearchHit; onOpen(hit: SearchHit): void }) {
  const { t, i18n } = useTranslation();
  const { message } = hit;
  return (
    <li>
      <button type="button" className="search-hit" data-message-id={message.id} onClick={() => onOpen(hit)}>
        <span className="search-hit-meta">
          <bdi className="search-hit-sender">{message.sender ? shownName(message.sender) : t('system.someone')}</bdi>
          <time dateTime={message.createdAt}>{formatListTime(message.createdAt, i18n.language)}</time>
        </span>
        <bdi className="search-hit-snippet">
          {snippetPieces(hit.snippet).map((piece, i) =>
            // biome-ignore lint/suspicious/noArrayIndexKey: pieces of one snippet never reorder.
            piece.marked ? <mark key={i}>{piece.text}</mark> : <span key={i}>{piece.text}</span>,
          )}
        </bdi>
      </button>
    </li>
  );
}

export function SearchPanel({ meId, state }: { meId: string; state: SearchState }) {
  const { t } = useTranslation();
  const chats = useStore(chatsStore, (s) => s.byId);
  const fieldId = useId();
  const { query, filters, hits, status, nextCursor } = state;
  const groups = useMemo(() => groupByChat(hits), [hits]);
  const titleOf = (chatId: string) => {
    const chat = chats[chatId];
    return chat ? chatTitle(chat) : t('search.unknownChat');
  };

  // biome-ignore lint/correctness/useExhaustiveDependencies: filters is compared by its fields.
  useEffect(() => {
    const timer = window.setTimeout(() => void runSearch(meId), DEBOUNCE_MS);
    return () => window.clearTimeout(timer);
  }, [
    meId,
    query,
    filters.chatId,
    filters.hasLink,
    filters.hasFile,
    filters.hasImage,
    filters.mentionsMe,
    filters.fromMe,
    filters.lastWeek,
    filters.order,
  ]);

  const toggle = (key: keyof Omit<SearchFilters, 'chatId' | 'order'>) => setFilters({ [key]: !filters[key] });

  const open = (hit: SearchHit) => {
    const { chatId, id, threadRootId } = hit.message;
    closeSearch();
    // A reply in a thread (E15) opens its thread beside the chat, which goes to the thread's root.
    if (threadRootId) openThread(chatId, threadRootId);
    // The jump starts first: it marks the history as loading, so opening the chat does not load the newest page over it.
    jumpTo(chatId, threadRootId ?? id).then(
      (found) => found || showToast(t('search.gone')),
      () => showToast(t('errors.network'), 'error'),
    );
    navigate(chatPath(chatId));
  };

  return (
    <Dialog title={filters.chatId ? t('search.titleInChat') : t('search.title')} onClose={closeSearch} className="search-panel">
      <div className="search-panel-field">
        <SearchIcon />
        <label htmlFor={fieldId} className="visually-hidden">
          {t('search.placeholder')}
        </label>
        <input
          id={fieldId}
          className="input"
          type="search"
          placeholder={t('search.placeholder')}
          value={query}
          onChange={(event) => setQuery(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === 'Enter' && !event.nativeEvent.isComposing) void runSearch(meId);
          }}
        />
      </div>
      <fieldset className="search-chips">
        <legend className="visually-hidden">{t('search.filters')}</legend>
        {filters.chatId && (
          <button type="button" className="search-chip" aria-pressed="true" onClick={() => setFilters({ chatId: null })}>
            <bdi>{t('search.inChat', { chat: titleOf(filters.chatId) })}</bdi>
            <CrossIcon size={14} />
            <span className="visually-hidden">{t('search.everywhere')}</span>
          </button>
        )}
        <Chip pressed={filters.hasLink} label={t('search.hasLink')} onToggle={() => toggle('hasLink')} />
        <Chip pressed={filters.hasFile} label={t('search.hasFile')} onToggle={() => toggle('hasFile')} />
        <Chip pressed={filters.hasImage} label={t('search.hasImage')} onToggle={() => toggle('hasImage')} />
        <Chip pressed={filters.mentionsMe} label={t('search.mentionsMe')} onToggle={() => toggle('mentionsMe')} />
        <Chip pressed={filters.fromMe} label={t('search.fromMe')} onToggle={() => toggle('fromMe')} />
        <Chip pressed={filters.lastWeek} label={t('search.lastWeek')} onToggle={() => toggle('lastWeek')} />
        <Chip
          pressed={filters.order === 'relevance'}
          label={t('search.relevance')}
          onToggle={() => setFilters({ order: filters.order === 'relevance' ? 'newest' : 'relevance' })}
        />
      </fieldset>
      <div className="search-results" aria-live="polite" aria-busy={status === 'loading'}>
        {status === 'idle' && <p className="search-note">{t('search.hint')}</p>}
        {status === 'done' && hits.length === 0 && <p className="search-note">{t('search.noResults', { query: query.trim() })}</p>}
        {status === 'failed' && (
          <p className="search-note">
            {t('search.failed')}{' '}
            <button type="button" className="button button-ghost" onClick={() => void runSearch(meId)}>
              {t('app.retry')}
            </button>
          </p>
        )}
        {!filters.chatId && <PeopleHits query={query} onOpen={closeSearch} />}
        {groups.map((group) => (
          <section key={group.chatId} className="search-group" aria-label={titleOf(group.chatId)}>
            <h3 className="search-group-title">
              <bdi>{titleOf(group.chatId)}</bdi>
            </h3>
            <ul className="search-hits">
              {group.hits.map((hit) => (
                <HitButton key={hit.message.id} hit={hit} onOpen={open} />
              ))}
            </ul>
          </section>
        ))}
        {status === 'loading' && (
          <p className="search-note" role="status">
            <span className="spinner" aria-hidden="true" /> {t('search.searching')}
          </p>
        )}
        {status === 'done' && nextCursor && (
          <button type="button" className="button button-secondary" onClick={() => void runSearch(meId, true)}>
            {t('search.more')}
          </button>
        )}
      </div>
    </Dialog>
  );
}
